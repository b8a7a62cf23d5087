/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * wse_regs.h - register map and in-memory structures of the wse PCIe device.
 *
 * This is the contract between the device model (qemu-device/) and the
 * driver (driver/); Documentation/wse/hardware.rst explains it. The header
 * holds only constants and fixed-layout little-endian structures so that
 * both sides can include it: the driver through <linux/types.h>, the device
 * model through <stdint.h> (it defines the __u/__le types before including).
 */
#ifndef WSE_REGS_H
#define WSE_REGS_H

/* PCI identity */
#define WSE_PCI_VENDOR_ID	0x1234	/* QEMU's experimental range */
#define WSE_PCI_DEVICE_ID	0x5753	/* "WS" */
#define WSE_PCI_CLASS		0x1200	/* processing accelerator */
#define WSE_PCI_REVISION	0x01

/* BARs */
#define WSE_BAR_REGS		0	/* 64 KiB of 32-bit registers */
#define WSE_BAR_SRAM		2	/* 64-bit prefetchable SRAM aperture */
#define WSE_BAR_MSIX		4	/* MSI-X table and PBA */
#define WSE_REGS_SIZE		0x10000

/* Identity and capabilities (read-only) */
#define WSE_REG_ID		0x0000	/* WSE_ID_MAGIC */
#define WSE_REG_VERSION		0x0004	/* major << 16 | minor */
#define WSE_REG_CAPS		0x0008	/* WSE_CAP_* */
#define WSE_REG_MESH		0x000c	/* width | height << 16 */
#define WSE_REG_SRAM_BYTES	0x0010	/* SRAM bytes per PE */
#define WSE_REG_NUM_QUEUES	0x0014
#define WSE_REG_NUM_WINDOWS	0x0018
#define WSE_REG_WINDOW_SIZE	0x001c	/* bytes of aperture per window slot */
#define WSE_REG_STATUS		0x0020	/* WSE_STATUS_* */
#define WSE_REG_RESET		0x0024	/* write WSE_RESET_MAGIC: device reset */
#define WSE_REG_ERROR		0x0028	/* WSE_DEVERR_* of the last fatal error */
#define WSE_REG_EVENT		0x002c	/* WSE_EVENT_*, write 1 to clear */
#define WSE_REG_MAX_XFER	0x0030	/* max bytes one command may move */
#define WSE_REG_MAX_IMAGE	0x0034	/* max bytes of a LOAD image */
#define WSE_REG_FW_VERSION	0x0038	/* emulator build: major << 16 | minor */

#define WSE_ID_MAGIC		0x57534533	/* "WSE3" */
#define WSE_HW_VERSION_MAJOR	1
#define WSE_HW_VERSION_MINOR	0

#define WSE_CAP_QUEUES		(1u << 0)	/* DMA submission/completion queues */
#define WSE_CAP_WINDOWS		(1u << 1)	/* SRAM windows in BAR2 */
#define WSE_CAP_KERNELS		(1u << 2)	/* LOAD / LAUNCH */
#define WSE_CAP_RECT		(1u << 3)	/* H2D / D2H rectangle copies */
#define WSE_CAP_STREAM		(1u << 4)	/* resident kernels and streams */
#define WSE_CAP_PE_DUMP		(1u << 5)	/* WSE_REG_DUMP_*, WSE_QCTRL_CANCEL */

#define WSE_STATUS_READY	(1u << 0)
#define WSE_STATUS_FATAL	(1u << 1)	/* see WSE_REG_ERROR; reset to clear */

#define WSE_RESET_MAGIC		0x52534554	/* "RSET" */

#define WSE_DEVERR_NONE		0
#define WSE_DEVERR_INTERNAL	1	/* emulator could not allocate */

#define WSE_EVENT_QUEUE_ERROR	(1u << 0)	/* a queue entered the error state */
#define WSE_EVENT_RESET_DONE	(1u << 1)
#define WSE_EVENT_QUEUE_STOPPED	(1u << 2)	/* a busy queue finished stopping */

/*
 * PE dump for the driver itself (its devcoredumps, debugfs): the state
 * record (abi/pe-dump.h) of PE DUMP_XY of the program loaded on queue
 * DUMP_QUEUE, written to guest memory at DUMP_ADDR. Writing WSE_DUMP_GO
 * to DUMP_CTRL does it before the write returns; DUMP_STATUS then holds
 * a WSE_CQE_* code: OK, OUT_OF_REGION (x, y outside the queue's region),
 * NO_PROGRAM, BAD_FIELD (no such queue, the queue is disabled or busy
 * running a command, or the address is not 8-aligned) or DMA_ERROR.
 * The record is the one a PE_DUMP entry of the queue would write, so
 * only an idle queue is dumped: what it shows does not depend on when.
 */
#define WSE_REG_DUMP_QUEUE	0x0040	/* queue index */
#define WSE_REG_DUMP_XY		0x0044	/* x | y << 16, relative to its region */
#define WSE_REG_DUMP_ADDR_LO	0x0048	/* WSE_DUMP_BYTES of guest memory */
#define WSE_REG_DUMP_ADDR_HI	0x004c
#define WSE_REG_DUMP_CTRL	0x0050	/* write WSE_DUMP_GO */
#define WSE_REG_DUMP_STATUS	0x0054	/* WSE_CQE_* of the last dump */

#define WSE_DUMP_GO		0x504d5544	/* "DUMP" */
#define WSE_DUMP_BYTES		4456	/* the version 1 record */

/*
 * Telemetry counters: 64 bits each, low word at the offset, high word at
 * offset + 4. Read high, low, high again to get a consistent value.
 * Cleared by device reset.
 */
#define WSE_REG_CNT_BASE	0x0100
#define WSE_CNT_CMDS_DONE	0	/* commands completed (any status) */
#define WSE_CNT_CMDS_FAILED	1	/* completed with a non-zero status */
#define WSE_CNT_BYTES_H2D	2	/* host to device bytes moved */
#define WSE_CNT_BYTES_D2H	3	/* device to host bytes moved */
#define WSE_CNT_LAUNCHES	4	/* kernels launched */
#define WSE_CNT_CYCLES		5	/* modeled wafer cycles of all launches */
#define WSE_CNT_PE_FAULTS	6	/* launches that ended in a kernel fault */
#define WSE_CNT_RESETS		7	/* device and queue resets */
#define WSE_CNT_LOADS		8	/* images loaded */
#define WSE_NUM_COUNTERS	9
#define WSE_REG_CNT(n)		(WSE_REG_CNT_BASE + 8 * (n))

/*
 * Queue register blocks, one per queue. A queue is a submission ring and a
 * completion ring of the same number of entries in guest memory. Program
 * the base addresses, SIZE, VECTOR and REGION while disabled, then set
 * CTRL.ENABLE; the device checks the configuration and either shows
 * QSTATUS.ENABLED or QSTATUS.ERROR with the reason in QSTATUS.CODE.
 */
#define WSE_REG_QUEUE_BASE	0x1000
#define WSE_QUEUE_STRIDE	0x40
#define WSE_MAX_QUEUES		64
#define WSE_REG_Q(q, r)		(WSE_REG_QUEUE_BASE + (q) * WSE_QUEUE_STRIDE + (r))

#define WSE_Q_SQ_BASE_LO	0x00	/* 4 KiB aligned */
#define WSE_Q_SQ_BASE_HI	0x04
#define WSE_Q_CQ_BASE_LO	0x08	/* 4 KiB aligned */
#define WSE_Q_CQ_BASE_HI	0x0c
#define WSE_Q_SIZE		0x10	/* log2(entries), WSE_Q_MIN..MAX_ORDER */
#define WSE_Q_VECTOR		0x14	/* MSI-X vector for completions */
#define WSE_Q_REGION_XY		0x18	/* PE rectangle this queue may touch: */
#define WSE_Q_REGION_WH		0x1c	/*   x | y << 16, w | h << 16 */
#define WSE_Q_CTRL		0x20	/* WSE_QCTRL_* */
#define WSE_Q_STATUS		0x24	/* WSE_QSTATUS_*, read-only */
#define WSE_Q_SQ_TAIL		0x28	/* doorbell: new submission tail */
#define WSE_Q_CQ_HEAD		0x2c	/* doorbell: completions consumed */
#define WSE_Q_SQ_HEAD		0x30	/* read-only: entries fetched */

#define WSE_Q_MIN_ORDER		2
#define WSE_Q_MAX_ORDER		12

#define WSE_QCTRL_ENABLE	(1u << 0)
/*
 * Write-only: stop the running command (a LAUNCH is cancelled), complete
 * it with WSE_CQE_ABORTED, drop unfetched entries, disable the queue.
 */
#define WSE_QCTRL_ABORT		(1u << 1)
/*
 * Write-only, with WSE_CAP_PE_DUMP: cancel the running command as ABORT
 * does (a LAUNCH completes with WSE_CQE_ABORTED), but the queue stays
 * enabled and keeps its program, so that the driver can dump the PEs of
 * a hung kernel. The program's later launches fail as cancelled until a
 * new LOAD; drivers disable the queue after the dump. Other bits of the
 * write are ignored.
 */
#define WSE_QCTRL_CANCEL	(1u << 2)

#define WSE_QSTATUS_ENABLED	(1u << 0)
#define WSE_QSTATUS_ERROR	(1u << 1)	/* stopped until disabled */
#define WSE_QSTATUS_BUSY	(1u << 2)	/* executing a command */
#define WSE_QSTATUS_CODE(s)	(((s) >> 8) & 0xff)	/* WSE_QERR_* */

#define WSE_QERR_NONE		0
#define WSE_QERR_BAD_CONFIG	1	/* base, size, vector or region invalid */
#define WSE_QERR_SQ_DMA		2	/* fetching a submission entry failed */
#define WSE_QERR_CQ_DMA		3	/* posting a completion failed */
#define WSE_QERR_BAD_DOORBELL	4	/* tail or head outside the ring */

/*
 * Window slots: slot s shows LENGTH bytes of SRAM at BAR2 offset
 * s * WINDOW_SIZE. The bytes are the wafer's linear SRAM space, where PE
 * (x, y) occupies [(y * width + x) * sram_bytes, + sram_bytes): a window
 * that runs past one PE's SRAM continues into the next PE of the row.
 * OFFSET and LENGTH are multiples of 4 KiB; writes to CTRL apply the
 * configuration atomically. Reads of a disabled slot return zeros.
 */
#define WSE_REG_WINDOW_BASE	0x3000
#define WSE_WINDOW_STRIDE	0x20
#define WSE_MAX_WINDOWS		64
#define WSE_REG_W(w, r)		(WSE_REG_WINDOW_BASE + (w) * WSE_WINDOW_STRIDE + (r))

#define WSE_W_PE_XY		0x00	/* absolute PE x | y << 16 */
#define WSE_W_OFFSET		0x04	/* byte offset in that PE's SRAM */
#define WSE_W_LENGTH		0x08	/* bytes */
#define WSE_W_CTRL		0x0c	/* WSE_WCTRL_* */
#define WSE_W_STATUS		0x10	/* WSE_WSTATUS_* */

#define WSE_WCTRL_ENABLE	(1u << 0)
#define WSE_WCTRL_READONLY	(1u << 1)	/* guest writes are dropped */

#define WSE_WSTATUS_ACTIVE	(1u << 0)
#define WSE_WSTATUS_ERROR	(1u << 1)	/* configuration refused */

#define WSE_WINDOW_ALIGN	4096

/* MSI-X: vector 0 signals device events (WSE_REG_EVENT); queues pick theirs. */
#define WSE_VECTOR_EVENTS	0

/* ---- In-memory structures (little-endian) ---- */

/* Submission queue entry: 64 bytes. */
#define WSE_SQE_SIZE		64

#define WSE_OP_NOP		0x00	/* completes with status OK */
#define WSE_OP_WRITE		0x01	/* guest memory -> SRAM, linear */
#define WSE_OP_READ		0x02	/* SRAM -> guest memory, linear */
#define WSE_OP_LOAD		0x03	/* image in guest memory -> the region */
#define WSE_OP_H2D		0x04	/* guest memory -> rectangle of PEs */
#define WSE_OP_D2H		0x05	/* rectangle of PEs -> guest memory */
#define WSE_OP_LAUNCH		0x06	/* run an exported function */
#define WSE_OP_FENCE		0x07	/* completes after every earlier entry */
/* Resident kernels and streams: wse-cmd-stream.c; values of DRM_WSE_OP_*. */
#define WSE_OP_RESIDENT		0x08	/* launch; the kernel stays resident */
#define WSE_OP_STREAM_IN	0x09	/* guest memory -> west-edge wavelets */
#define WSE_OP_STREAM_OUT	0x0a	/* west-edge wavelets -> guest memory */
#define WSE_OP_CALL		0x0b	/* function of the resident kernel */
#define WSE_OP_STOP		0x0c	/* end the resident kernel */
#define WSE_OP_PE_DUMP		0x0d	/* PE state record -> guest memory */

/* Rectangle host order and broadcast (sqe.rect.order, sqe.rect.bcast). */
#define WSE_ORDER_ROW_MAJOR	0
#define WSE_ORDER_COL_MAJOR	1
#define WSE_BCAST_NONE		0
#define WSE_BCAST_ROW		1	/* host holds h x elem: one per row */
#define WSE_BCAST_COL		2	/* host holds w x elem: one per column */

struct wse_sqe {
	__u8 opcode;
	__u8 flags;
	__u16 rsvd0;
	__u32 tag;		/* echoed in the completion */
	__u64 sgl;		/* guest address of struct wse_sge[], 16-aligned */
	__u32 sgl_count;	/* entries in the list */
	__u32 rsvd1;
	union {
		/*
		 * WRITE / READ: length bytes starting at offset in PE (x, y)
		 * of the queue's region, continuing through the following
		 * PEs of the region in row-major order.
		 */
		struct {
			__u16 x, y;
			__u32 offset;
			__u64 length;
			__u8 rsvd[24];
		} sram;
		/* LOAD: length bytes of ELF image from the list. */
		struct {
			__u64 length;
			__u8 rsvd[32];
		} load;
		/*
		 * H2D / D2H: elem_per_pe elements of elem_bytes each at SRAM
		 * address addr of every PE of the w x h rectangle at (x, y) of
		 * the region; the host array is h x w x elem_per_pe in the
		 * given order (see hardware.rst).
		 */
		struct {
			__u16 x, y, w, h;
			__u32 addr;
			__u32 elem_per_pe;
			__u8 elem_bytes;	/* 2 or 4 */
			__u8 order;		/* WSE_ORDER_* */
			__u8 bcast;		/* WSE_BCAST_*, H2D only */
			__u8 rsvd[21];
		} rect;
		/* LAUNCH: function (symbol index of the loaded image). */
		struct {
			__u32 function;
			__u32 nargs;		/* 0..8 */
			__u32 args[8];
		} launch;
		/*
		 * STREAM_IN / STREAM_OUT: length bytes, h x elem_per_pe
		 * elements, rows y.. of the region's west edge on color.
		 */
		struct {
			__u8 color, edge, elem_bytes, rsvd0;
			__u16 y, h;
			__u32 elem_per_pe;
			__u32 rsvd1;
			__u64 length;
			__u8 rsvd[16];
		} stream;
	};
};

/* Scatter-gather entry: 16 bytes. */
struct wse_sge {
	__u64 addr;
	__u32 len;		/* bytes, non-zero */
	__u32 rsvd;
};

#define WSE_MAX_SGL		(1u << 20)	/* entries per command */

/* Completion queue entry: 32 bytes. */
#define WSE_CQE_SIZE		32

#define WSE_CQE_OK		0x00
#define WSE_CQE_BAD_OPCODE	0x01
#define WSE_CQE_BAD_FIELD	0x02	/* reserved bits set, bad size or count */
#define WSE_CQE_DMA_ERROR	0x03	/* list or data outside guest memory */
#define WSE_CQE_OUT_OF_REGION	0x04	/* PEs or SRAM outside the region */
#define WSE_CQE_KERNEL_FAULT	0x05	/* reason/pe/pc say what the wafer saw */
#define WSE_CQE_BAD_IMAGE	0x06	/* LOAD: the image was rejected */
#define WSE_CQE_NO_PROGRAM	0x07	/* LAUNCH without a loaded image */
#define WSE_CQE_ABORTED		0x08	/* queue abort, timeout or reset */
#define WSE_CQE_TOO_LARGE	0x09	/* above MAX_XFER / MAX_IMAGE */
#define WSE_CQE_BAD_SGL		0x0a	/* list shorter than the length, bad entry */
#define WSE_CQE_STREAM_TIMEOUT	0x0b	/* the stream's wavelets never came */

#define WSE_CQE_PHASE		0x01	/* cqe.phase bit 0 */

struct wse_cqe {
	__u32 tag;
	__u16 sq_head;		/* submission entries fetched so far */
	__u8 status;		/* WSE_CQE_* */
	__u8 phase;		/* flips each pass over the ring */
	__u32 reason;		/* KERNEL_FAULT / BAD_IMAGE: wafer status */
	__u16 pe_x, pe_y;	/* KERNEL_FAULT: PE relative to the region */
	__u32 pc;		/* KERNEL_FAULT: program counter */
	__u32 rsvd;
	__u64 result;		/* LAUNCH: modeled cycles; copies: bytes */
};

#endif /* WSE_REGS_H */
