// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rtmap.c - the router configuration of every PE, per color, from the
 * image's route and switch records.
 *
 * Records are rectangles, later ones winning per switch position. They
 * are painted PE by PE into a scratch map of one color at a time, then
 * kept as a table of the distinct configurations and a 16-bit (or, past
 * 65536 distinct ones, 32-bit) index per PE: a full wafer with 24 colors
 * routed over all of it costs 2 bytes per PE and color instead of 10.
 * Records before the last full-region record of the same color and
 * position change nothing and are not painted.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const port_name[] = { "RAMP", "NORTH", "SOUTH", "EAST", "WEST" };

static uint32_t cfg_hash(const struct rt_cfg *c)
{
	uint32_t h = 2166136261u;
	const uint8_t *b = (const uint8_t *)c;

	for (size_t i = 0; i < sizeof(*c); i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

/*
 * A router with several positions accepts one port per position: then
 * only the stream it accepts can move it, and the order of what it lets
 * through follows from data (switch.c).
 */
static int check_switches(const struct wafer_program *p, unsigned int c,
			  const struct rt_cfg *cfg, struct wafer_fault *f)
{
	uint32_t W = p->region.w;

	for (uint32_t i = 0; i < p->npes; i++) {
		if (cfg[i].npos <= 1)
			continue;
		for (unsigned int k = 0; k < cfg[i].npos; k++) {
			uint8_t rx = cfg[i].rx[k];
			unsigned int a, b;

			if (__builtin_popcount(rx) <= 1)
				continue;
			a = __builtin_ctz(rx);
			b = __builtin_ctz(rx & (rx - 1));
			return wafer_fault_set(f, WAFER_ERR_BAD_IMAGE,
					       "router of PE (%u,%u) accepts color %u from %s and %s in switch position %u: with switch positions a router accepts one port per position",
					       i % W, i / W, c, port_name[a],
					       port_name[b], k);
		}
	}
	return 0;
}

/* Keep map's distinct configurations in cf, and an index per PE. */
static int compress(struct color_fabric *cf, const struct rt_cfg *map,
		    uint32_t npes)
{
	uint32_t cap = 64, n = 0, hcap = 128, *slot, *idx32 = NULL;
	uint16_t *idx16 = malloc((size_t)npes * sizeof(*idx16));
	struct rt_cfg *tab = malloc(cap * sizeof(*tab));
	int ret = -ENOMEM;

	slot = malloc(hcap * sizeof(*slot));
	if (!idx16 || !tab || !slot)
		goto out;
	memset(slot, 0xff, hcap * sizeof(*slot));
	for (uint32_t i = 0; i < npes; i++) {
		uint32_t h = cfg_hash(&map[i]) & (hcap - 1), k;

		/* Neighbours mostly share their configuration. */
		if (i && !memcmp(&map[i], &map[i - 1], sizeof(map[i]))) {
			k = idx32 ? idx32[i - 1] : idx16[i - 1];
			goto store;
		}
		while (slot[h] != UINT32_MAX &&
		       memcmp(&tab[slot[h]], &map[i], sizeof(map[i])))
			h = (h + 1) & (hcap - 1);
		if (slot[h] != UINT32_MAX) {
			k = slot[h];
			goto store;
		}
		if (n == cap) {
			struct rt_cfg *nt = realloc(tab, 2 * cap * sizeof(*tab));

			if (!nt)
				goto out;
			tab = nt;
			cap *= 2;
		}
		k = n++;
		tab[k] = map[i];
		slot[h] = k;
		if (2 * n > hcap) {
			uint32_t *ns = malloc(2 * hcap * sizeof(*ns));

			if (!ns)
				goto out;
			memset(ns, 0xff, 2 * hcap * sizeof(*ns));
			hcap *= 2;
			for (uint32_t j = 0; j < n; j++) {
				uint32_t g = cfg_hash(&tab[j]) & (hcap - 1);

				while (ns[g] != UINT32_MAX)
					g = (g + 1) & (hcap - 1);
				ns[g] = j;
			}
			free(slot);
			slot = ns;
		}
		if (n > UINT16_MAX + 1u && !idx32) {
			/* Past 16 bits: widen what was indexed so far. */
			idx32 = malloc((size_t)npes * sizeof(*idx32));
			if (!idx32)
				goto out;
			for (uint32_t j = 0; j < i; j++)
				idx32[j] = idx16[j];
			free(idx16);
			idx16 = NULL;
		}
store:
		if (idx32)
			idx32[i] = k;
		else
			idx16[i] = (uint16_t)k;
	}
	cf->cfgs = tab;
	cf->ncfgs = n;
	cf->cfg16 = idx16;
	cf->cfg32 = idx32;
	tab = NULL;
	idx16 = NULL;
	idx32 = NULL;
	ret = 0;
out:
	free(slot);
	free(tab);
	free(idx16);
	free(idx32);
	return ret;
}

/* The records of color c painted into map, checked and kept in fab[c]. */
static int build_color(struct wafer_program *p, const struct wafer_image *img,
		       const uint32_t *shadow, unsigned int c,
		       struct rt_cfg *map, struct wafer_fault *f)
{
	uint32_t W = p->region.w;
	int ret;

	memset(map, 0, (size_t)p->npes * sizeof(*map));
	for (uint32_t i = 0; i < img->nroutes; i++) {
		const struct wafer_image_route *r = &img->routes[i];

		if (r->color != c || i < shadow[r->pos])
			continue;
		for (uint32_t y = r->y; y < r->y + r->h; y++) {
			struct rt_cfg *row = &map[(size_t)y * W];

			for (uint32_t x = r->x; x < r->x + r->w; x++) {
				row[x].rx[r->pos] = r->rx;
				row[x].tx[r->pos] = r->tx;
				if (row[x].npos < r->pos + 1)
					row[x].npos = r->pos + 1;
			}
		}
	}
	for (uint32_t i = 0; i < img->nswitches; i++) {
		const struct wafer_image_switch *r = &img->switches[i];

		if (r->color != c)
			continue;
		for (uint32_t y = r->y; y < r->y + r->h; y++)
			for (uint32_t x = r->x; x < r->x + r->w; x++)
				map[(size_t)y * W + x].ring =
					r->flags & WAFER_SWITCH_RING;
	}
	ret = check_switches(p, c, map, f);
	if (!ret)
		ret = compress(&p->fab[c], map, p->npes);
	return ret;
}

/*
 * Colors are independent, so a large region builds them on the wafer's
 * threads, each with a scratch map of its own: thread t takes colors t,
 * t + n, ... The outcome is the sequential one: the lowest color that
 * failed gives the error.
 */
struct rtmap_job {
	struct wafer_program *p;
	const struct wafer_image *img;
	const uint32_t (*shadow)[WAFER_POSITIONS];
	uint32_t used;
	unsigned int first, step;
	int *ret;			/* per color */
	struct wafer_fault *fault;	/* per color */
};

static void *rtmap_job_main(void *arg)
{
	struct rtmap_job *j = arg;
	struct rt_cfg *map = NULL;

	for (unsigned int c = j->first; c < WAFER_COLORS; c += j->step) {
		if (!(j->used & (1u << c)))
			continue;
		if (!map)
			map = malloc((size_t)j->p->npes * sizeof(*map));
		j->ret[c] = map ? build_color(j->p, j->img, j->shadow[c], c, map,
					      &j->fault[c]) : -ENOMEM;
	}
	free(map);
	return NULL;
}

int wafer_rtmap_build(struct wafer_program *p, const struct wafer_image *img,
		      struct wafer_fault *f)
{
	uint32_t shadow[WAFER_COLORS][WAFER_POSITIONS] = { { 0 } };
	struct rtmap_job job[WAFER_MAX_THREADS];
	pthread_t tid[WAFER_MAX_THREADS];
	bool started[WAFER_MAX_THREADS] = { false };
	int ret[WAFER_COLORS] = { 0 };
	struct wafer_fault *fault;
	unsigned int n = p->w->cfg.threads;
	uint32_t used = 0;
	sigset_t all, old;

	for (uint32_t i = 0; i < img->nroutes; i++) {
		const struct wafer_image_route *r = &img->routes[i];

		used |= 1u << r->color;
		if (!r->x && !r->y && r->w == p->region.w && r->h == p->region.h)
			shadow[r->color][r->pos] = i;
	}
	if (!used)
		return 0;
	fault = calloc(WAFER_COLORS, sizeof(*fault));
	if (!fault)
		return -ENOMEM;
	if (n < 1 || p->npes < WAFER_LOAD_PAR_MIN_PES)
		n = 1;
	if (n > (unsigned int)__builtin_popcount(used))
		n = (unsigned int)__builtin_popcount(used);
	for (unsigned int t = 0; t < n; t++)
		job[t] = (struct rtmap_job){
			.p = p, .img = img, .shadow = shadow, .used = used,
			.first = t, .step = n, .ret = ret, .fault = fault,
		};
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (unsigned int t = 1; t < n; t++)
		started[t] = !pthread_create(&tid[t], NULL, rtmap_job_main, &job[t]);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	rtmap_job_main(&job[0]);
	for (unsigned int t = 1; t < n; t++) {
		if (started[t])
			pthread_join(tid[t], NULL);
		else	/* no thread: the same colors, built here */
			rtmap_job_main(&job[t]);
	}
	for (unsigned int c = 0; c < WAFER_COLORS; c++)
		if (ret[c]) {
			if (ret[c] != -ENOMEM)
				*f = fault[c];
			free(fault);
			return ret[c];
		}
	free(fault);
	return 0;
}

void wafer_rtmap_free(struct wafer_program *p)
{
	for (unsigned int c = 0; c < WAFER_COLORS; c++) {
		free(p->fab[c].cfgs);
		free(p->fab[c].cfg16);
		free(p->fab[c].cfg32);
		p->fab[c].cfgs = NULL;
		p->fab[c].cfg16 = NULL;
		p->fab[c].cfg32 = NULL;
	}
}
