// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wse-sgl.c - scatter-gather list walker; see wse-sgl.h.
 */
#include <string.h>

#include "wse-sgl.h"

uint8_t wse_sgl_init(struct wse_sgl *s, struct wse_dev *d, uint64_t list,
		     uint32_t count)
{
	memset(s, 0, sizeof(*s));
	s->dev = d;
	s->list = list;
	s->count = count;
	if (!count || count > WSE_MAX_SGL || list % 16 ||
	    list + (uint64_t)count * sizeof(struct wse_sge) < list) {
		wse_dev_guest_error(d, "scatter-gather list at 0x%llx with %u entries refused",
				    (unsigned long long)list, count);
		return WSE_CQE_BAD_SGL;
	}
	return WSE_CQE_OK;
}

/*
 * Read the next batch of entries. A batch may run past the end of guest
 * RAM although the entries the copy needs do not: then read one entry.
 */
static uint8_t sgl_fetch(struct wse_sgl *s)
{
	uint32_t n = s->count - s->next;
	struct wse_dev *d = s->dev;
	uint64_t at = s->list + (uint64_t)s->next * sizeof(struct wse_sge);

	if (!n) {
		wse_dev_guest_error(d, "scatter-gather list of %u entries too short",
				    s->count);
		return WSE_CQE_BAD_SGL;
	}
	if (n > WSE_SGL_BATCH)
		n = WSE_SGL_BATCH;
	if (d->ops->dma_read(d->opaque, at, s->cache, n * sizeof(struct wse_sge))) {
		n = 1;
		if (d->ops->dma_read(d->opaque, at, s->cache, sizeof(struct wse_sge))) {
			wse_dev_guest_error(d, "scatter-gather entry %u at 0x%llx unreadable",
					    s->next, (unsigned long long)at);
			return WSE_CQE_DMA_ERROR;
		}
	}
	s->next += n;
	s->cached = n;
	s->cur = 0;
	s->cur_off = 0;
	return WSE_CQE_OK;
}

uint8_t wse_sgl_copy(struct wse_sgl *s, void *buf, size_t len, bool to_guest)
{
	struct wse_dev *d = s->dev;
	uint8_t *p = buf;
	uint8_t st;
	int ret;

	while (len) {
		const struct wse_sge *e;
		uint64_t n;

		if (s->cur >= s->cached) {
			st = sgl_fetch(s);
			if (st)
				return st;
		}
		e = &s->cache[s->cur];
		/* Entries are checked when used: those past the copy's
		 * end may hold anything. */
		if (!e->len || e->rsvd || e->addr + e->len < e->addr) {
			wse_dev_guest_error(d, "scatter-gather entry %u invalid (addr 0x%llx len %u)",
					    s->next - s->cached + s->cur,
					    (unsigned long long)e->addr, e->len);
			return WSE_CQE_BAD_SGL;
		}
		n = e->len - s->cur_off;
		if (n > len)
			n = len;
		if (to_guest)
			ret = d->ops->dma_write(d->opaque, e->addr + s->cur_off, p, n);
		else
			ret = d->ops->dma_read(d->opaque, e->addr + s->cur_off, p, n);
		if (ret) {
			wse_dev_guest_error(d, "DMA %s guest memory at 0x%llx (%llu bytes) failed",
					    to_guest ? "to" : "from",
					    (unsigned long long)(e->addr + s->cur_off),
					    (unsigned long long)n);
			return WSE_CQE_DMA_ERROR;
		}
		p += n;
		len -= n;
		s->cur_off += n;
		if (s->cur_off == e->len) {
			s->cur++;
			s->cur_off = 0;
		}
	}
	return WSE_CQE_OK;
}
