/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fabric.h - the fabric's knob for tests (fabric.c, "Sole producer").
 */
#ifndef WAFER_FABRIC_H
#define WAFER_FABRIC_H

struct wafer_program;

/*
 * on != 0: every send of p's launches checks each queue of its route for
 * room and delivers through the general path, as if no route were a sole
 * producer's; 0 (the default): sole producers' routes skip that pass
 * while what they know allows. on also makes a launch's statistics
 * count the wavelets by a pass over every queue instead of adding up
 * what its workers counted (launch.c). The results are the same either
 * way: tests compare the two. Between launches only.
 */
void wafer_route_scan(struct wafer_program *p, int on);

#endif /* WAFER_FABRIC_H */
