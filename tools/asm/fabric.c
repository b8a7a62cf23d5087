// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fabric.c - layout and routing directives:
 *
 *   .rect NAME, X, Y, W, H
 *   .route COLOR, AREA, rx=PORTS, tx=PORTS[, pos=N]
 *   .switch COLOR, AREA[, ring]
 *   .route_bcast COLOR, DIR, AREA
 *   .route_row_bcast COLOR, AREA     (= .route_bcast COLOR, EAST, AREA)
 *   .route_col_bcast COLOR, AREA     (= .route_bcast COLOR, SOUTH, AREA)
 *   .route_chain COLOR0, COLOR1, DIR, AREA
 *
 * AREA is X, Y, W, H or the name of rectangles defined before. Route
 * records apply in order, so a later record is an exception to an earlier
 * one on the PEs it covers; the two sugar forms expand into such records.
 * Everything here is evaluated in pass 1 and must not use labels.
 */
#include <string.h>

#include "asm.h"
#include "wafer-abi.h"
#include "image.h"
#include "image-elf.h"

struct area {
	uint32_t x, y, w, h;
};

static int grow(struct asm_ctx *a, void **v, unsigned *cap, unsigned n,
		size_t size)
{
	void *nv;

	if (n < *cap)
		return 0;
	nv = arena_alloc(&a->ar, (*cap ? *cap * 2 : 16) * size);
	if (!nv) {
		asm_nomem(a);
		return -1;
	}
	if (n)
		memcpy(nv, *v, n * size);
	*v = nv;
	*cap = *cap ? *cap * 2 : 16;
	return 0;
}

static int get_u32(struct cur *c, uint32_t *out, int64_t max,
		   const char *what)
{
	unsigned col = cur_tok(c)->col;
	int64_t v;

	if (expr_int(c, &v, 1, what))
		return -1;
	if (v < 0 || v > max) {
		asm_error(c->a, c->loc, col, "%s %lld out of range 0..%lld",
			  what, (long long)v, (long long)max);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

static int get_rect(struct cur *c, struct area *r)
{
	if (get_u32(c, &r->x, WAFER_MAX_WIDTH - 1, "x") ||
	    cur_expect(c, TK_COMMA, NULL) ||
	    get_u32(c, &r->y, WAFER_MAX_HEIGHT - 1, "y") ||
	    cur_expect(c, TK_COMMA, NULL) ||
	    get_u32(c, &r->w, WAFER_MAX_WIDTH, "width") ||
	    cur_expect(c, TK_COMMA, NULL) ||
	    get_u32(c, &r->h, WAFER_MAX_HEIGHT, "height"))
		return -1;
	if (!r->w || !r->h)
		return cur_error(c, "empty rectangle %ux%u", r->w, r->h);
	if (r->x + r->w > WAFER_MAX_WIDTH || r->y + r->h > WAFER_MAX_HEIGHT)
		return cur_error(c, "rectangle exceeds the %ux%u fabric",
				 WAFER_MAX_WIDTH, WAFER_MAX_HEIGHT);
	return 0;
}

int dir_rect(struct cur *c, const struct token *d)
{
	struct asm_ctx *a = c->a;
	struct token *name = cur_tok(c);
	struct rect_rec *r;
	struct area ar;

	if (name->kind != TK_IDENT || name->s[0] == '.')
		return cur_error(c, "expected a rectangle (code group) name");
	c->i++;
	if (cur_expect(c, TK_COMMA, NULL) || get_rect(c, &ar) || cur_end(c))
		return -1;
	for (unsigned i = 0; i < a->nrects; i++) {
		const struct rect_rec *o = &a->rects[i];

		if (ar.x < o->x + o->w && o->x < ar.x + ar.w &&
		    ar.y < o->y + o->h && o->y < ar.y + ar.h) {
			asm_error(a, c->loc, d->col,
				  "rectangle '%.*s' (%u,%u %ux%u) overlaps rectangle '%s' (%u,%u %ux%u)",
				  (int)name->len, name->s, ar.x, ar.y, ar.w,
				  ar.h, o->name, o->x, o->y, o->w, o->h);
			asm_note(a, &o->loc, o->col, "'%s' placed here",
				 o->name);
			return -1;
		}
	}
	if (a->nrects == WSE_IMAGE_MAX_RECTS) {
		asm_error(a, c->loc, d->col, "more than %u rectangles",
			  WSE_IMAGE_MAX_RECTS);
		return -1;
	}
	if (grow(a, (void **)&a->rects, &a->rects_cap, a->nrects, sizeof(*r)))
		return -1;
	r = &a->rects[a->nrects++];
	r->name = arena_strndup(&a->ar, name->s, name->len);
	if (!r->name) {
		asm_nomem(a);
		return -1;
	}
	r->group = -1;
	r->x = ar.x;
	r->y = ar.y;
	r->w = ar.w;
	r->h = ar.h;
	r->loc = *c->loc;
	r->col = d->col;
	return 0;
}

/* AREA: a rectangle name (all rectangles of that name) or X, Y, W, H. */
static int get_area(struct cur *c, struct area *v, unsigned *n, unsigned max)
{
	struct asm_ctx *a = c->a;
	struct token *t = cur_tok(c);

	*n = 0;
	if (t->kind == TK_IDENT && (t[1].kind == TK_COMMA ||
				    t[1].kind == TK_EOL)) {
		for (unsigned i = 0; i < a->nrects; i++) {
			const struct rect_rec *r = &a->rects[i];

			if (strlen(r->name) != t->len ||
			    memcmp(r->name, t->s, t->len))
				continue;
			if (*n == max)
				return cur_error(c, "too many rectangles named '%.*s'",
						 (int)t->len, t->s);
			v[(*n)++] = (struct area){ r->x, r->y, r->w, r->h };
		}
		if (*n) {
			c->i++;
			return 0;
		}
	}
	*n = 1;
	return get_rect(c, v);
}

static int add_route(struct cur *c, unsigned col, const struct area *r,
		     uint32_t color, uint32_t rx, uint32_t tx, uint32_t pos)
{
	struct asm_ctx *a = c->a;
	struct route_rec *rt;

	if (a->nroutes == WSE_IMAGE_MAX_ROUTES) {
		asm_error(a, c->loc, col, "more than %u route records",
			  WSE_IMAGE_MAX_ROUTES);
		return -1;
	}
	if (grow(a, (void **)&a->routes, &a->routes_cap, a->nroutes,
		 sizeof(*rt)))
		return -1;
	rt = &a->routes[a->nroutes++];
	rt->x = r->x;
	rt->y = r->y;
	rt->w = r->w;
	rt->h = r->h;
	rt->color = (uint8_t)color;
	rt->rx = (uint8_t)rx;
	rt->tx = (uint8_t)tx;
	rt->pos = (uint8_t)pos;
	rt->loc = *c->loc;
	rt->col = col;
	return 0;
}

static int get_ports(struct cur *c, const char *key, uint32_t *mask)
{
	struct token *t = cur_tok(c);
	unsigned col;
	struct val v;

	if (!tok_is(t, key))
		return cur_error(c, "expected %s=PORTS", key);
	c->i++;
	if (cur_expect(c, TK_ASSIGN, NULL))
		return -1;
	col = cur_tok(c)->col;
	if (expr_parse(c, &v, EXPR_PORTS))
		return -1;
	if (v.is_float || v.unknown || v.i < 0 || v.i > WAFER_PORT_ALL) {
		asm_error(c->a, c->loc, col,
			  "%s: expected ports RAMP|NORTH|SOUTH|EAST|WEST or NONE",
			  key);
		return -1;
	}
	*mask = (uint32_t)v.i;
	return 0;
}

/* Direction of travel, its port bit and the port it arrives on. */
static int get_dir(struct cur *c, uint32_t *out, uint32_t *from)
{
	static const struct {
		const char *name;
		uint32_t port, from;
	} dirs[] = {
		{ "EAST", WAFER_PORT_EAST, WAFER_PORT_WEST },
		{ "WEST", WAFER_PORT_WEST, WAFER_PORT_EAST },
		{ "SOUTH", WAFER_PORT_SOUTH, WAFER_PORT_NORTH },
		{ "NORTH", WAFER_PORT_NORTH, WAFER_PORT_SOUTH },
	};
	struct token *t = cur_tok(c);

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (tok_is(t, dirs[i].name)) {
			c->i++;
			*out = dirs[i].port;
			*from = dirs[i].from;
			return 0;
		}
	}
	return cur_error(c, "expected a direction: EAST, WEST, SOUTH or NORTH");
}

/* Line k (0 = upstream end) of r across direction dir. */
static struct area line_of(const struct area *r, uint32_t dir, uint32_t k)
{
	struct area l = *r;

	switch (dir) {
	case WAFER_PORT_EAST:
		l.x = r->x + k;
		l.w = 1;
		break;
	case WAFER_PORT_WEST:
		l.x = r->x + r->w - 1 - k;
		l.w = 1;
		break;
	case WAFER_PORT_SOUTH:
		l.y = r->y + k;
		l.h = 1;
		break;
	default:
		l.y = r->y + r->h - 1 - k;
		l.h = 1;
		break;
	}
	return l;
}

/* fixed_dir: the direction of .route_row_bcast/.route_col_bcast, or 0 */
static int route_sugar(struct cur *c, const struct token *d, int chain,
		       uint32_t fixed_dir)
{
	uint32_t color[2] = { 0, 0 }, dir = 0, from = 0;
	struct area ar[16];
	unsigned n;

	if (expr_color(c, &color[0], 1) || cur_expect(c, TK_COMMA, NULL))
		return -1;
	if (chain && (expr_color(c, &color[1], 1) ||
		      cur_expect(c, TK_COMMA, NULL)))
		return -1;
	if (fixed_dir) {
		dir = fixed_dir;
		from = fixed_dir == WAFER_PORT_EAST ? WAFER_PORT_WEST :
						      WAFER_PORT_NORTH;
	} else if (get_dir(c, &dir, &from) || cur_expect(c, TK_COMMA, NULL)) {
		return -1;
	}
	if (get_area(c, ar, &n, 16) || cur_end(c))
		return -1;
	if (chain && color[0] == color[1]) {
		asm_error(c->a, c->loc, d->col,
			  ".route_chain needs two different colors");
		return -1;
	}
	for (unsigned i = 0; i < n; i++) {
		const struct area *r = &ar[i];
		uint32_t len = dir & (WAFER_PORT_EAST | WAFER_PORT_WEST) ?
			       r->w : r->h;
		struct area l;

		if (len < 2) {
			asm_error(c->a, c->loc, d->col,
				  "%.*s over an area 1 PE long in its direction",
				  (int)d->len, d->s);
			return -1;
		}
		if (chain) {
			/*
			 * PE k sends on color[k % 2] and hears PE k - 1 on
			 * the other: no PE forwards what it receives.
			 */
			for (uint32_t k = 0; k < len; k++) {
				l = line_of(r, dir, k);
				if (k + 1 < len &&
				    add_route(c, d->col, &l, color[k % 2],
					      WAFER_PORT_RAMP, dir, 0))
					return -1;
				if (k > 0 &&
				    add_route(c, d->col, &l, color[(k + 1) % 2],
					      from, WAFER_PORT_RAMP, 0))
					return -1;
			}
			continue;
		}
		if (len > 2 && add_route(c, d->col, r, color[0], from,
					 WAFER_PORT_RAMP | dir, 0))
			return -1;
		l = line_of(r, dir, 0);
		if (add_route(c, d->col, &l, color[0], WAFER_PORT_RAMP, dir, 0))
			return -1;
		l = line_of(r, dir, len - 1);
		if (add_route(c, d->col, &l, color[0], from, WAFER_PORT_RAMP, 0))
			return -1;
	}
	return 0;
}

int dir_route(struct cur *c, const struct token *d)
{
	uint32_t color, rx, tx, pos = 0;
	struct area ar[16];
	unsigned n;

	if (tok_is(d, ".route_bcast"))
		return route_sugar(c, d, 0, 0);
	if (tok_is(d, ".route_row_bcast"))
		return route_sugar(c, d, 0, WAFER_PORT_EAST);
	if (tok_is(d, ".route_col_bcast"))
		return route_sugar(c, d, 0, WAFER_PORT_SOUTH);
	if (tok_is(d, ".route_chain"))
		return route_sugar(c, d, 1, 0);
	if (expr_color(c, &color, 1) || cur_expect(c, TK_COMMA, NULL) ||
	    get_area(c, ar, &n, 16) || cur_expect(c, TK_COMMA, NULL) ||
	    get_ports(c, "rx", &rx) || cur_expect(c, TK_COMMA, NULL) ||
	    get_ports(c, "tx", &tx))
		return -1;
	if (cur_accept(c, TK_COMMA)) {
		if (!tok_is(cur_tok(c), "pos"))
			return cur_error(c, "expected pos=POSITION");
		c->i++;
		if (cur_expect(c, TK_ASSIGN, NULL) ||
		    get_u32(c, &pos, WAFER_SWITCH_POSITIONS - 1, "switch position"))
			return -1;
	}
	if (cur_end(c))
		return -1;
	for (unsigned i = 0; i < n; i++)
		if (add_route(c, d->col, &ar[i], color, rx, tx, pos))
			return -1;
	return 0;
}

/* .switch COLOR, AREA[, ring]: how SWITCH_ADV behaves past the last position. */
int dir_switch(struct cur *c, const struct token *d)
{
	struct asm_ctx *a = c->a;
	uint32_t color, flags = 0;
	struct area ar[16];
	unsigned n;

	if (expr_color(c, &color, 1) || cur_expect(c, TK_COMMA, NULL) ||
	    get_area(c, ar, &n, 16))
		return -1;
	if (cur_accept(c, TK_COMMA)) {
		if (!tok_is(cur_tok(c), "ring"))
			return cur_error(c, "expected ring");
		c->i++;
		flags |= WAFER_SWITCH_RING;
	}
	if (cur_end(c))
		return -1;
	for (unsigned i = 0; i < n; i++) {
		struct switch_rec *sw;

		if (a->nswitches == WSE_IMAGE_MAX_SWITCHES) {
			asm_error(a, c->loc, d->col, "more than %u switch records",
				  WSE_IMAGE_MAX_SWITCHES);
			return -1;
		}
		if (grow(a, (void **)&a->switches, &a->switches_cap,
			 a->nswitches, sizeof(*sw)))
			return -1;
		sw = &a->switches[a->nswitches++];
		sw->x = ar[i].x;
		sw->y = ar[i].y;
		sw->w = ar[i].w;
		sw->h = ar[i].h;
		sw->color = (uint8_t)color;
		sw->flags = (uint8_t)flags;
		sw->loc = *c->loc;
		sw->col = d->col;
	}
	return 0;
}
