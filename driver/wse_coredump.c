// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The wse authors.
 *
 * Device coredumps of kernel faults and hangs, and the debugfs PE view.
 *
 * When a job ends in a kernel fault or runs over its time, the driver
 * asks the device for the state records (abi/pe-dump.h) of a few PEs of
 * the queue's region through the PE dump registers (WSE_REG_DUMP_*) and
 * hands a report to devcoredump: text first, the raw records after it
 * (Documentation/wse/debugging.rst describes the layout). The device
 * only dumps an idle queue, so a fault is captured before the queue runs
 * anything else: by a work item right after the fault, or at the latest
 * when the queue is next programmed (wse_coredump_capture_locked() in
 * wse_queue_run() and in the stop path). A hang is captured by the
 * watchdog: it cancels the hung command with WSE_QCTRL_CANCEL, which
 * keeps the program, dumps, and then stops the queue as before.
 *
 * The capture runs where fences are signalled (run_job, the watchdog,
 * queue recovery), so it allocates nothing: the report is rendered into
 * a buffer allocated at probe, and a work item copies it to devcoredump.
 * One report is in that buffer at a time per device, and devcoredump
 * keeps one dump per device until it is read and dismissed (or five
 * minutes pass): faults meanwhile leave no dump. The coredump module
 * parameter turns capturing off.
 */

#include <linux/debugfs.h>
#include <linux/devcoredump.h>
#include <linux/dma-mapping.h>
#include <linux/iopoll.h>
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/pci.h>
#include <linux/seq_buf.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include <drm/drm_drv.h>
#include <drm/drm_managed.h>

#include "pe-dump.h"
#include "wse_coredump.h"
#include "wse_drv.h"
#include "wse_hw.h"
#include "wse_job.h"
#include "wse_queue.h"
#include "wse_usage.h"

static_assert(sizeof(struct wafer_pe_dump) == WSE_DUMP_BYTES);

static bool wse_coredump_enable = true;
module_param_named(coredump, wse_coredump_enable, bool, 0644);
MODULE_PARM_DESC(coredump,
		 "Capture a devcoredump of the PEs of a kernel fault or hang (default: on)");

/* PEs of one report: the faulting one and its 4 neighbours; of a hang, the first 5. */
#define WSE_COREDUMP_PES	5
/* Text of one PE: the largest record prints about 13 KiB. */
#define WSE_COREDUMP_PE_TEXT	SZ_16K
#define WSE_COREDUMP_HEAD_TEXT	SZ_1K
/* How long a queue may take to finish the command that faulted or is cancelled. */
#define WSE_COREDUMP_IDLE_US	(10 * USEC_PER_SEC)
/* Text of the debugfs view. */
#define WSE_COREDUMP_VIEW_TEXT	WSE_COREDUMP_PE_TEXT
#define WSE_COREDUMP_TEXT	(WSE_COREDUMP_HEAD_TEXT + \
				 WSE_COREDUMP_PES * WSE_COREDUMP_PE_TEXT)
#define WSE_COREDUMP_MAX	(WSE_COREDUMP_TEXT + \
				 WSE_COREDUMP_PES * WSE_DUMP_BYTES)

/* What the report says about the job; filled when it faulted or hung. */
struct wse_coredump_info {
	bool hang;
	u32 queue;
	u64 job_id;
	u32 cmd;
	u32 cmd_count;
	u8 opcode;
	u32 timeout_ms;
	struct wse_rect region;
	u32 reason;
	u32 pe_x;
	u32 pe_y;
	u32 pc;
	pid_t pid;
};

struct wse_coredump {
	struct wse_device *wdev;
	/** @lock: protects @pending and @info; taken under wse_queue.lock */
	spinlock_t lock;
	bool pending;
	struct wse_coredump_info info;
	struct work_struct work;

	/** @report: the last report, @report_len bytes, until published */
	char *report;
	size_t report_len;
	/** @report_busy: @report is in use from capture until published */
	atomic_t report_busy;
	struct work_struct publish;

	/** @rec_lock: serializes users of @rec (dumps and the view's text) */
	struct mutex rec_lock;
	/** @rec: one record, where the device writes it */
	void *rec;
	dma_addr_t rec_dma;
	/** @view: the debugfs view's last text, @view_len bytes of it */
	char *view;
	size_t view_len;
};

static const char *const wse_cmd_names[] = {
	[WSE_OP_NOP] = "NOP", [WSE_OP_WRITE] = "WRITE", [WSE_OP_READ] = "READ",
	[WSE_OP_LOAD] = "LOAD", [WSE_OP_H2D] = "H2D", [WSE_OP_D2H] = "D2H",
	[WSE_OP_LAUNCH] = "LAUNCH", [WSE_OP_FENCE] = "FENCE",
	[WSE_OP_RESIDENT] = "RESIDENT", [WSE_OP_STREAM_IN] = "STREAM_IN",
	[WSE_OP_STREAM_OUT] = "STREAM_OUT", [WSE_OP_CALL] = "CALL",
	[WSE_OP_STOP] = "STOP", [WSE_OP_PE_DUMP] = "PE_DUMP",
};

static const char *wse_name(const char *const *names, size_t n, u32 v)
{
	return v < n && names[v] ? names[v] : "?";
}

#define WSE_NAME(t, v)	wse_name(t, ARRAY_SIZE(t), v)

/* ---- The text of a record: what wafer_pe_dump_text() prints, less disassembly ---- */

static const char *const wse_state_names[] = {
	"off", "running", "idle", "halted",
};

static const char *const wse_wait_names[] = {
	"nothing", "receive", "send", "switch", "microthreads", "lookahead",
};

static const char *const wse_port_names[] = {
	"ramp", "north", "south", "east", "west",
};

static void wse_put_ports(struct seq_buf *s, u8 ports)
{
	bool first = true;
	int b;

	if (!ports) {
		seq_buf_puts(s, "-");
		return;
	}
	for (b = 0; b < ARRAY_SIZE(wse_port_names); b++) {
		if (!(ports & BIT(b)))
			continue;
		seq_buf_printf(s, "%s%s", first ? "" : "|", wse_port_names[b]);
		first = false;
	}
}

static void wse_put_wait(struct seq_buf *s, u8 kind, u8 color)
{
	seq_buf_puts(s, WSE_NAME(wse_wait_names, kind));
	if (kind == WAFER_PE_DUMP_W_RECV || kind == WAFER_PE_DUMP_W_SEND ||
	    kind == WAFER_PE_DUMP_W_SWITCH)
		seq_buf_printf(s, " on color %u", color);
}

static void wse_put_head(struct seq_buf *s, const struct wafer_pe_dump *d)
{
	seq_buf_printf(s, "PE (%u,%u): %s", d->x, d->y,
		       WSE_NAME(wse_state_names, d->state));
	if (d->state != WAFER_PE_DUMP_OFF) {
		if (d->cur_task == 0xff)
			seq_buf_puts(s, " in the launched function");
		else
			seq_buf_printf(s, " in task %u", d->cur_task);
	}
	seq_buf_printf(s, ", %llu cycles, %llu instructions\n", d->clock,
		       d->icount);
	if (d->flags & WAFER_PE_DUMP_F_INSN)
		seq_buf_printf(s, "pc 0x%04x: %016llx\n", d->pc, d->insn);
	else
		seq_buf_printf(s, "pc 0x%04x: outside SRAM\n", d->pc);
	seq_buf_puts(s, "waits for ");
	wse_put_wait(s, d->wait_kind, d->wait_color);
	if (d->wait_kind == WAFER_PE_DUMP_W_UT)
		seq_buf_printf(s, " 0x%02x", d->wait_ut);
	seq_buf_printf(s, "%s\n", d->flags & WAFER_PE_DUMP_F_PREFIX ?
		       ", async prefix pending" : "");
}

static void wse_put_regs(struct seq_buf *s, const struct wafer_pe_dump *d)
{
	int i;

	for (i = 0; i < 16; i++)
		seq_buf_printf(s, "%sr%-2u %08x%s", i % 4 ? "  " : "", i,
			       d->r[i], i % 4 == 3 ? "\n" : "");
}

static void wse_put_dsds(struct seq_buf *s, const struct wafer_pe_dump *d)
{
	int i, k;

	for (i = 0; i < 16; i++) {
		const struct wafer_pe_dump_dsd *r = &d->dsd[i];

		if (r->kind == 1) {
			seq_buf_printf(s, "d%-2u fabric color %u, %u x type %u\n",
				       i, r->color, r->len[0], r->type);
			continue;
		}
		if (!r->len[0])
			continue;
		seq_buf_printf(s, "d%-2u mem 0x%04x type %u", i, r->base, r->type);
		for (k = 0; k < r->ndim && k < 4; k++)
			seq_buf_printf(s, "%s%u:%d", k ? " " : " len:stride ",
				       r->len[k], r->stride[k]);
		seq_buf_puts(s, "\n");
	}
}

static const char *const wse_task_kinds[] = { "-", "data", "local", "control" };

static void wse_put_tasks(struct seq_buf *s, const struct wafer_pe_dump *d)
{
	int t;

	if (!(d->flags & WAFER_PE_DUMP_F_TASKS))
		return;
	seq_buf_printf(s, "tasks: active 0x%016llx blocked 0x%016llx\n",
		       d->task_active, d->task_blocked);
	for (t = 0; t < 64; t++) {
		const struct wafer_pe_dump_task *k = &d->task[t];

		if (!(d->task_defined >> t & 1))
			continue;
		seq_buf_printf(s, "  task %-2u %-7s entry 0x%04x prio %u", t,
			       WSE_NAME(wse_task_kinds, k->kind), k->entry,
			       k->prio);
		if (k->kind == 1 || k->kind == 3)
			seq_buf_printf(s, " color %u", k->color);
		seq_buf_printf(s, "%s%s\n",
			       d->task_active >> t & 1 ? " active" : "",
			       d->task_blocked >> t & 1 ? " blocked" : "");
	}
}

static void wse_put_uthreads(struct seq_buf *s, const struct wafer_pe_dump *d)
{
	static const char *const act[] = { "", "activate", "unblock" };
	int u;

	for (u = 0; u < 8; u++) {
		const struct wafer_pe_dump_uthread *t = &d->ut[u];

		if (!t->busy)
			continue;
		seq_buf_printf(s, "ut%u op %u from pc 0x%04x, %u of %u elements, waits for ",
			       u, t->op, t->pc, t->done, t->n);
		wse_put_wait(s, t->wait_kind, t->wait_color);
		if (t->action && t->action < ARRAY_SIZE(act))
			seq_buf_printf(s, ", then %s task %u", act[t->action],
				       t->task);
		seq_buf_puts(s, "\n");
	}
}

static void wse_put_fabric(struct seq_buf *s, const struct wafer_pe_dump *d)
{
	int c, i;

	for (c = 0; c < 24; c++) {
		const struct wafer_pe_dump_router *r = &d->router[c];
		const struct wafer_pe_dump_queue *q = &d->queue[c];

		if (!r->npos && !q->count)
			continue;
		seq_buf_printf(s, "color %-2u ", c);
		if (r->torn_down) {
			seq_buf_puts(s, "torn down");
		} else {
			seq_buf_puts(s, "rx ");
			wse_put_ports(s, r->rx);
			seq_buf_puts(s, " tx ");
			wse_put_ports(s, r->tx);
			if (r->npos > 1)
				seq_buf_printf(s, " position %u of %u", r->pos,
					       r->npos);
		}
		if (q->depth)
			seq_buf_printf(s, ", queue %u/%u", q->count, q->depth);
		for (i = 0; i < q->count && i < WAFER_PE_DUMP_QSHOW; i++)
			seq_buf_printf(s, "%s%s%08x@%llu", i ? " " : ": ",
				       q->arr[i] & WAFER_PE_DUMP_ARR_CTL ? "ctl:" : "",
				       q->val[i],
				       q->arr[i] & WAFER_PE_DUMP_ARR_TIME_MASK);
		if (q->count > WAFER_PE_DUMP_QSHOW)
			seq_buf_puts(s, " ...");
		seq_buf_puts(s, "\n");
	}
}

static void wse_put_record(struct seq_buf *s, const struct wafer_pe_dump *d)
{
	wse_put_head(s, d);
	wse_put_regs(s, d);
	wse_put_dsds(s, d);
	wse_put_tasks(s, d);
	wse_put_uthreads(s, d);
	wse_put_fabric(s, d);
}

/* ---- Asking the device ---- */

/*
 * The record of PE (x, y) of queue @q's region into cd->rec. The queue
 * must be idle: the device refuses a busy one (-EBUSY).
 */
static int wse_coredump_pe(struct wse_coredump *cd, struct wse_queue *q,
			   u32 x, u32 y)
{
	struct wse_device *wdev = cd->wdev;
	const struct wafer_pe_dump *d = cd->rec;
	u32 st;

	lockdep_assert_held(&cd->rec_lock);

	memset(cd->rec, 0, WSE_DUMP_BYTES);
	wse_write(wdev, WSE_REG_DUMP_QUEUE, q->id);
	wse_write(wdev, WSE_REG_DUMP_XY, x | y << 16);
	wse_write(wdev, WSE_REG_DUMP_ADDR_LO, lower_32_bits(cd->rec_dma));
	wse_write(wdev, WSE_REG_DUMP_ADDR_HI, upper_32_bits(cd->rec_dma));
	wse_write(wdev, WSE_REG_DUMP_CTRL, WSE_DUMP_GO);
	/* The record is written before the write returns; the read orders it. */
	st = wse_read(wdev, WSE_REG_DUMP_STATUS);
	switch (st) {
	case WSE_CQE_OK:
		break;
	case WSE_CQE_BAD_FIELD:
		return -EBUSY;
	case WSE_CQE_OUT_OF_REGION:
		return -EINVAL;
	case WSE_CQE_NO_PROGRAM:
		return -ENODATA;
	case U32_MAX:
		return -ENODEV;
	default:
		return -EIO;
	}
	if (d->magic != WAFER_PE_DUMP_MAGIC || d->version < 1 ||
	    d->size < WSE_DUMP_BYTES)
		return -EIO;
	return 0;
}

/* Wait until the queue runs no command: the device only dumps it then. */
static int wse_coredump_wait_idle(struct wse_queue *q)
{
	u32 status;
	int ret;

	ret = readl_poll_timeout(q->wdev->regs + WSE_REG_Q(q->id, WSE_Q_STATUS),
				 status, status == U32_MAX ||
				 !(status & WSE_QSTATUS_BUSY),
				 100, WSE_COREDUMP_IDLE_US);
	if (ret)
		return ret;
	return status == U32_MAX ? -ENODEV : 0;
}

/* The PEs of a report: the faulting one and its neighbours, or the first ones. */
static u32 wse_coredump_pes(const struct wse_coredump_info *info,
			    u32 xs[WSE_COREDUMP_PES], u32 ys[WSE_COREDUMP_PES])
{
	static const int dx[] = { 0, -1, 1, 0, 0 }, dy[] = { 0, 0, 0, -1, 1 };
	u32 w = info->region.w, h = info->region.h, n = 0, i;

	if (info->hang) {
		for (i = 0; i < w * h && n < WSE_COREDUMP_PES; i++, n++) {
			xs[n] = i % w;
			ys[n] = i / w;
		}
		return n;
	}
	for (i = 0; i < ARRAY_SIZE(dx); i++) {
		s64 x = (s64)info->pe_x + dx[i], y = (s64)info->pe_y + dy[i];

		if (x < 0 || y < 0 || x >= w || y >= h)
			continue;
		xs[n] = x;
		ys[n] = y;
		n++;
	}
	return n;
}

static void wse_coredump_put_head(struct seq_buf *s, struct wse_queue *q,
				  const struct wse_coredump_info *info)
{
	struct wse_device *wdev = q->wdev;
	struct timespec64 now;

	ktime_get_real_ts64(&now);
	seq_buf_printf(s, "wse devcoredump %u\n", 1);
	seq_buf_printf(s, "device: %s accel%d\n", pci_name(to_pci_dev(wdev->drm.dev)),
		       wdev->drm.accel ? wdev->drm.accel->index : -1);
	seq_buf_printf(s, "time: %lld\n", (long long)now.tv_sec);
	seq_buf_printf(s, "reason: %s\n", info->hang ? "timeout" : "kernel fault");
	seq_buf_printf(s, "context: pid %d\n", info->pid);
	seq_buf_printf(s, "queue: %u region %ux%u at (%u,%u)\n", info->queue,
		       info->region.w, info->region.h, info->region.x,
		       info->region.y);
	seq_buf_printf(s, "job: %llu command %u of %u (%s)\n", info->job_id,
		       info->cmd, info->cmd_count,
		       WSE_NAME(wse_cmd_names, info->opcode));
	if (info->hang)
		seq_buf_printf(s, "timeout: %u ms\n", info->timeout_ms);
	else
		seq_buf_printf(s, "fault: status %u PE (%u,%u) pc 0x%04x\n",
			       info->reason, info->pe_x, info->pe_y, info->pc);
}

/*
 * Render the report of @info into cd->report and have it published.
 * The queue is idle (or the dumps fail and say so). Allocates nothing.
 */
static void wse_coredump_build(struct wse_coredump *cd, struct wse_queue *q,
			       const struct wse_coredump_info *info)
{
	u32 xs[WSE_COREDUMP_PES], ys[WSE_COREDUMP_PES], n, i, nrec = 0;
	/* The records go after the text; they wait at the end meanwhile. */
	void *recs = cd->report + WSE_COREDUMP_TEXT;
	struct seq_buf s;
	size_t len;

	/* One report at a time: the next fault finds the buffer busy. */
	if (atomic_cmpxchg(&cd->report_busy, 0, 1))
		return;
	n = wse_coredump_pes(info, xs, ys);
	seq_buf_init(&s, cd->report, WSE_COREDUMP_TEXT);
	wse_coredump_put_head(&s, q, info);
	seq_buf_printf(&s, "pes: %u\n", n);

	mutex_lock(&cd->rec_lock);
	for (i = 0; i < n; i++) {
		int ret = wse_coredump_pe(cd, q, xs[i], ys[i]);

		seq_buf_puts(&s, "\n");
		if (ret) {
			seq_buf_printf(&s, "PE (%u,%u): not dumped: %d\n", xs[i],
				       ys[i], ret);
			continue;
		}
		memcpy(recs + nrec * WSE_DUMP_BYTES, cd->rec, WSE_DUMP_BYTES);
		wse_put_record(&s, cd->rec);
		nrec++;
	}
	mutex_unlock(&cd->rec_lock);

	seq_buf_printf(&s, "\nbinary: %u records of %u bytes\n", nrec,
		       WSE_DUMP_BYTES);
	len = seq_buf_used(&s);
	if (seq_buf_has_overflowed(&s)) {
		/* Not with the sizes above; end on the marker line anyway. */
		len = WSE_COREDUMP_TEXT - 64;
		len += scnprintf(cd->report + len, 64,
				 "\n...\nbinary: %u records of %u bytes\n",
				 nrec, WSE_DUMP_BYTES);
	}
	memmove(cd->report + len, recs, nrec * WSE_DUMP_BYTES);
	cd->report_len = len + nrec * WSE_DUMP_BYTES;
	wse_dbg(cd->wdev, QUEUE, "queue %u: devcoredump of job %llu, %u PEs, %zu bytes\n",
		q->id, info->job_id, nrec, cd->report_len);
	queue_work(cd->wdev->wq, &cd->publish);
}

/* Hand the report to devcoredump, outside any fence-signalling path. */
static void wse_coredump_publish(struct work_struct *work)
{
	struct wse_coredump *cd = container_of(work, struct wse_coredump,
					       publish);
	size_t len = cd->report_len;
	void *data;

	data = vmalloc(len);
	if (data)
		memcpy(data, cd->report, len);
	atomic_set(&cd->report_busy, 0);
	/* devcoredump owns the copy; it drops it while an earlier dump is unread. */
	if (data)
		dev_coredumpv(cd->wdev->drm.dev, data, len, GFP_KERNEL);
}

static bool wse_coredump_usable(struct wse_device *wdev)
{
	return wdev->coredump && READ_ONCE(wse_coredump_enable) &&
	       (wdev->hw.caps & WSE_CAP_PE_DUMP);
}

/**
 * wse_coredump_fault_locked() - note a kernel fault for its coredump
 * @q: the queue, q->lock held (any context)
 * @job: the job whose command faulted, still on the queue
 * @cqe: the fault's completion
 *
 * The capture happens in process context before the queue runs again.
 */
void wse_coredump_fault_locked(struct wse_queue *q, const struct wse_job *job,
			       const struct wse_cqe *cqe)
{
	struct wse_device *wdev = q->wdev;
	struct wse_coredump *cd = wdev->coredump;
	struct wse_coredump_info *info;

	lockdep_assert_held(&q->lock);

	if (!wse_coredump_usable(wdev))
		return;
	spin_lock(&cd->lock);
	if (!cd->pending) {
		info = &cd->info;
		memset(info, 0, sizeof(*info));
		info->queue = q->id;
		info->job_id = job->id;
		info->cmd = job->next_cmd;
		info->cmd_count = job->cmd_count;
		info->opcode = job->cmds[job->next_cmd].sqe.opcode;
		info->region = job->region;
		info->reason = cqe->reason;
		info->pe_x = cqe->pe_x;
		info->pe_y = cqe->pe_y;
		info->pc = cqe->pc;
		info->pid = job->usage ? job->usage->pid : 0;
		cd->pending = true;
		queue_work(wdev->wq, &cd->work);
	}
	spin_unlock(&cd->lock);
}

/**
 * wse_coredump_capture_locked() - capture the fault noted for a queue
 * @q: the queue, q->hw_lock held; about to be programmed or stopped
 *
 * Nothing happens unless a fault of @q waits for its capture.
 */
void wse_coredump_capture_locked(struct wse_queue *q)
{
	struct wse_coredump *cd = q->wdev->coredump;
	struct wse_coredump_info info;
	bool take;

	lockdep_assert_held(&q->hw_lock);

	if (!cd)
		return;
	spin_lock_irq(&cd->lock);
	take = cd->pending && cd->info.queue == q->id;
	if (take) {
		info = cd->info;
		cd->pending = false;
	}
	spin_unlock_irq(&cd->lock);
	if (!take || !q->hw_enabled || q->broken ||
	    !wse_rect_equal(&q->hw_region, &info.region))
		return;
	if (wse_coredump_wait_idle(q))
		return;
	wse_coredump_build(cd, q, &info);
}

/**
 * wse_coredump_hang_locked() - capture a hung job before its queue stops
 * @q: the queue, q->hw_lock held
 * @job: the job over its time, on the queue
 *
 * Cancels the running command so that the queue is idle with its
 * program; the job then ends with -ETIMEDOUT through its completion.
 * The caller stops the queue afterwards as for any timeout.
 */
void wse_coredump_hang_locked(struct wse_queue *q, struct wse_job *job)
{
	struct wse_device *wdev = q->wdev;
	struct wse_coredump_info info = { .hang = true, .queue = q->id };
	bool active;

	lockdep_assert_held(&q->hw_lock);

	if (!wse_coredump_usable(wdev) || !q->hw_enabled || q->broken)
		return;
	spin_lock_irq(&q->lock);
	active = q->active == job;
	if (active) {
		info.job_id = job->id;
		info.cmd = job->next_cmd;
		info.cmd_count = job->cmd_count;
		info.opcode = job->cmds[job->next_cmd].sqe.opcode;
		info.timeout_ms = job->timeout_ms;
		info.region = job->region;
		info.pid = job->usage ? job->usage->pid : 0;
		job->abort_err = -ETIMEDOUT;
	}
	spin_unlock_irq(&q->lock);
	if (!active)
		return;

	wse_write(wdev, WSE_REG_Q(q->id, WSE_Q_CTRL), WSE_QCTRL_CANCEL);
	if (wse_coredump_wait_idle(q))
		return;
	wse_coredump_build(wdev->coredump, q, &info);
}

static void wse_coredump_work(struct work_struct *work)
{
	struct wse_coredump *cd = container_of(work, struct wse_coredump, work);
	struct wse_device *wdev = cd->wdev;
	struct wse_queue *q;
	u32 qid;
	int idx;

	spin_lock_irq(&cd->lock);
	qid = cd->info.queue;
	spin_unlock_irq(&cd->lock);
	if (qid >= wdev->hw.num_queues || !drm_dev_enter(&wdev->drm, &idx))
		return;
	q = &wdev->queues[qid];
	mutex_lock(&q->hw_lock);
	wse_coredump_capture_locked(q);
	mutex_unlock(&q->hw_lock);
	drm_dev_exit(idx);
}

/* ---- debugfs: pe_dump ---- */

/*
 * Write "x y", device coordinates: the record of that PE, if an enabled
 * queue's region holds it, is rendered for the next reads. -EINVAL for
 * anything else than two numbers inside the mesh, -ENOENT if no queue
 * has the PE, -ENODATA if its queue has no program, -EBUSY while the
 * queue runs a command.
 */
static int wse_view_dump(struct wse_coredump *cd, u32 x, u32 y)
{
	struct wse_device *wdev = cd->wdev;
	int ret = -ENOENT, idx;
	u32 i;

	if (!drm_dev_enter(&wdev->drm, &idx))
		return -ENODEV;
	down_read(&wdev->reset_lock);
	if (wdev->suspended) {
		ret = -EBUSY;
		goto out;
	}
	for (i = 0; i < wdev->hw.num_queues && ret == -ENOENT; i++) {
		struct wse_queue *q = &wdev->queues[i];
		const struct wse_rect *r = &q->hw_region;
		struct seq_buf s;

		mutex_lock(&q->hw_lock);
		if (!q->hw_enabled || q->broken || x < r->x || y < r->y ||
		    x - r->x >= r->w || y - r->y >= r->h) {
			mutex_unlock(&q->hw_lock);
			continue;
		}
		mutex_lock(&cd->rec_lock);
		ret = wse_coredump_pe(cd, q, x - r->x, y - r->y);
		if (!ret) {
			seq_buf_init(&s, cd->view, WSE_COREDUMP_VIEW_TEXT);
			seq_buf_printf(&s, "queue %u, device PE (%u,%u)\n", q->id,
				       x, y);
			wse_put_record(&s, cd->rec);
			cd->view_len = seq_buf_used(&s);
		}
		mutex_unlock(&cd->rec_lock);
		mutex_unlock(&q->hw_lock);
	}
out:
	up_read(&wdev->reset_lock);
	drm_dev_exit(idx);
	return ret;
}

static ssize_t wse_view_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	struct wse_coredump *cd = file->private_data;
	struct wse_device *wdev = cd->wdev;
	char buf[32], *p, *xs;
	u32 x, y;
	int ret;

	if (!len || len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	p = strim(buf);
	xs = strsep(&p, " \t");
	if (!p)
		return -EINVAL;
	p = skip_spaces(p);
	if (kstrtou32(xs, 10, &x) || kstrtou32(p, 10, &y))
		return -EINVAL;
	if (x >= wdev->hw.mesh_width || y >= wdev->hw.mesh_height)
		return -EINVAL;

	ret = wse_view_dump(cd, x, y);
	return ret ? ret : len;
}

static ssize_t wse_view_read(struct file *file, char __user *ubuf, size_t len,
			     loff_t *ppos)
{
	struct wse_coredump *cd = file->private_data;
	ssize_t ret;

	mutex_lock(&cd->rec_lock);
	ret = simple_read_from_buffer(ubuf, len, ppos, cd->view, cd->view_len);
	mutex_unlock(&cd->rec_lock);
	return ret;
}

static const struct file_operations wse_view_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = wse_view_read,
	.write = wse_view_write,
	.llseek = default_llseek,
};

/* ---- Setup ---- */

static void wse_coredump_fini(struct drm_device *drm, void *arg)
{
	struct wse_coredump *cd = arg;

	cancel_work_sync(&cd->work);
	cancel_work_sync(&cd->publish);
	/* A dump of a device that goes away says nothing of the next one. */
	dev_coredump_put(drm->dev);
	kvfree(cd->report);
}

/**
 * wse_coredump_init() - set up devcoredumps and the debugfs PE view
 * @wdev: the device, queues initialized
 *
 * A device without WSE_CAP_PE_DUMP has neither.
 *
 * Return: 0 or -ENOMEM.
 */
int wse_coredump_init(struct wse_device *wdev)
{
	struct wse_coredump *cd;
	int ret;

	if (!(wdev->hw.caps & WSE_CAP_PE_DUMP))
		return 0;
	cd = drmm_kzalloc(&wdev->drm, sizeof(*cd), GFP_KERNEL);
	if (!cd)
		return -ENOMEM;
	cd->wdev = wdev;
	spin_lock_init(&cd->lock);
	INIT_WORK(&cd->work, wse_coredump_work);
	INIT_WORK(&cd->publish, wse_coredump_publish);
	ret = drmm_mutex_init(&wdev->drm, &cd->rec_lock);
	if (ret)
		return ret;
	cd->rec = dmam_alloc_coherent(wdev->drm.dev, WSE_DUMP_BYTES,
				      &cd->rec_dma, GFP_KERNEL);
	cd->view = drmm_kzalloc(&wdev->drm, WSE_COREDUMP_VIEW_TEXT, GFP_KERNEL);
	cd->report = kvzalloc(WSE_COREDUMP_MAX, GFP_KERNEL);
	if (!cd->rec || !cd->view || !cd->report) {
		kvfree(cd->report);
		return -ENOMEM;
	}
	ret = drmm_add_action_or_reset(&wdev->drm, wse_coredump_fini, cd);
	if (ret)
		return ret;
	wdev->coredump = cd;

	debugfs_create_file("pe_dump", 0600, wdev->drm.debugfs_root, cd,
			    &wse_view_fops);
	return 0;
}
