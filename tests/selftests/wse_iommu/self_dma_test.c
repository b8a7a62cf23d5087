// SPDX-License-Identifier: GPL-2.0
/*
 * self_dma_test.c - behind a vIOMMU, DMA through an IOVA that maps the
 * device's own BAR2 window is refused (the command completes with
 * DMA_ERROR, neither the window's SRAM nor the queue's is changed), and
 * the queue goes on working.
 *
 * Why not through the driver: its uAPI cannot hand the device such an
 * IOVA. The driver maps for DMA only pages it pinned or a dma-buf gave
 * it: a user pointer into a mapped window is a VM_IO | VM_PFNMAP range
 * that pin_user_pages() refuses (BO_USERPTR fails with -EFAULT), a window
 * cannot be exported as a dma-buf (-EOPNOTSUPP), both checked first
 * below, and SUBMIT refuses a window's handle as a buffer
 * (wse_ras/window_test).
 * The nearest real path is a guest that owns the device and its IOMMU
 * domain: VFIO. The test unbinds the device from wse, binds it to
 * vfio-pci (type1 told to accept the vIOMMU without interrupt
 * remapping; no interrupt is used), maps anonymous memory and the mmap of BAR2's first slot into
 * the IOMMU (type1 maps a PFNMAP range as peer-to-peer MMIO), programs
 * window 0 and queue 0 through BAR0 as the driver would (driver/wse_regs.h)
 * and points a READ and a WRITE at the window's IOVA. Then it gives the
 * device back to wse and checks the driver works with it.
 *
 * Without an IOMMU group (no vIOMMU) or without vfio-pci it skips:
 * make check-vm runs this collection in a boot of its own with
 * tests/vm/run-vm.sh --iommu.
 */
#define _GNU_SOURCE
#include "../kselftest_harness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/pci_regs.h>
#include <linux/types.h>
#include <linux/vfio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "wse_regs.h"
#include "../wse/wse_util.h"

#define MEM_LEN		(1u << 20)
#define MEM_IOVA	0x10000000ull
#define BAR_IOVA	0x20000000ull
#define SQ_OFF		0x0000
#define CQ_OFF		0x1000
#define SGL_OFF		0x2000
#define DATA_OFF	0x10000
#define BACK_OFF	0x20000
#define LEN		64
#define ORDER		3
#define UNSAFE_IRQS	"/sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts"

FIXTURE(vfio)
{
	char bdf[256];
	int container, group, dev;
	bool moved;		/* unbound from wse: give it back */
	uint64_t bar0_off, cfg_off;
	uint8_t *mem;		/* MEM_IOVA */
	volatile uint8_t *bar2;	/* window slot 0, mapped at BAR_IOVA */
	size_t slot;
	uint32_t sq_tail, cq_head;
	uint8_t phase;
};

static int sysfs_write(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static unsigned long sysfs_hex(const char *dir, const char *name)
{
	char path[512], buf[32] = "";

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (wst_read_line(path, buf, sizeof(buf)))
		return 0;
	return strtoul(buf, NULL, 16);
}

/* The first wse device's PCI address; false if there is none. */
static bool find_wse(char *bdf, size_t len)
{
	DIR *d = opendir("/sys/bus/pci/devices");
	struct dirent *e;
	bool found = false;

	while (d && (e = readdir(d))) {
		char dir[512];

		if (e->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%s", e->d_name);
		if (sysfs_hex(dir, "vendor") == WSE_PCI_VENDOR_ID &&
		    sysfs_hex(dir, "device") == WSE_PCI_DEVICE_ID) {
			snprintf(bdf, len, "%s", e->d_name);
			found = true;
			break;
		}
	}
	if (d)
		closedir(d);
	return found;
}

/* The name of the driver bound to bdf, or "" */
static void bound_driver(const char *bdf, char *name, size_t len)
{
	char path[512], link[256];
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", bdf);
	n = readlink(path, link, sizeof(link) - 1);
	name[0] = '\0';
	if (n > 0) {
		link[n] = '\0';
		snprintf(name, len, "%s", strrchr(link, '/') + 1);
	}
}

/* Bind bdf to drv ("" for whichever driver matches it by ID). */
static int rebind(const char *bdf, const char *drv)
{
	char path[512], cur[64];
	int ret;

	bound_driver(bdf, cur, sizeof(cur));
	if (cur[0]) {
		snprintf(path, sizeof(path), "/sys/bus/pci/drivers/%s/unbind", cur);
		ret = sysfs_write(path, bdf);
		if (ret)
			return ret;
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver_override", bdf);
	ret = sysfs_write(path, drv[0] ? drv : "\n");
	if (ret)
		return ret;
	return sysfs_write("/sys/bus/pci/drivers_probe", bdf);
}

static uint32_t rd(struct _test_data_vfio *s, uint32_t off)
{
	uint32_t v = ~0u;

	if (pread(s->dev, &v, 4, s->bar0_off + off) != 4)
		return ~0u;
	return v;
}

static void wr(struct _test_data_vfio *s, uint32_t off, uint32_t v)
{
	if (pwrite(s->dev, &v, 4, s->bar0_off + off) != 4)
		fprintf(stderr, "# BAR0 write at 0x%x failed: %s\n", off,
			strerror(errno));
}

static int dma_map(int container, void *vaddr, uint64_t iova, uint64_t size)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)vaddr, .iova = iova, .size = size,
	};

	return ioctl(container, VFIO_IOMMU_MAP_DMA, &m) ? -errno : 0;
}

/* One copy command through queue 0; its completion status, or -1. */
static int run_copy(struct _test_data_vfio *s, uint8_t op, uint64_t addr,
		    uint32_t tag)
{
	struct wse_sqe *sqe = (struct wse_sqe *)(s->mem + SQ_OFF) + s->sq_tail;
	volatile struct wse_cqe *cqe =
		(volatile struct wse_cqe *)(s->mem + CQ_OFF) + s->cq_head;
	struct wse_sge *sge = (struct wse_sge *)(s->mem + SGL_OFF) + s->sq_tail;
	time_t end = time(NULL) + 60;
	int status;

	*sge = (struct wse_sge){ .addr = addr, .len = LEN };
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = op;
	sqe->tag = tag;
	if (op != WSE_OP_NOP) {
		sqe->sgl = MEM_IOVA + SGL_OFF + s->sq_tail * sizeof(*sge);
		sqe->sgl_count = 1;
		sqe->sram.length = LEN;	/* PE (0, 0) of the region, offset 0 */
	}
	__sync_synchronize();
	s->sq_tail = (s->sq_tail + 1) % (1u << ORDER);
	wr(s, WSE_REG_Q(0, WSE_Q_SQ_TAIL), s->sq_tail);
	while ((cqe->phase & WSE_CQE_PHASE) != s->phase) {
		if (time(NULL) > end)
			return -1;
		usleep(1000);
	}
	__sync_synchronize();
	if (cqe->tag != tag)
		return -1;
	status = cqe->status;
	s->cq_head = (s->cq_head + 1) % (1u << ORDER);
	if (!s->cq_head)
		s->phase ^= 1;
	wr(s, WSE_REG_Q(0, WSE_Q_CQ_HEAD), s->cq_head);
	return status;
}

FIXTURE_SETUP(vfio)
{
	struct vfio_group_status gs = { .argsz = sizeof(gs) };
	struct vfio_region_info ri = { .argsz = sizeof(ri) };
	char path[512], link[256], drv[64];
	uint16_t cmd;
	ssize_t n;

	self->container = self->group = self->dev = -1;
	if (!find_wse(self->bdf, sizeof(self->bdf)))
		SKIP(return, "no wse device");
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", self->bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		SKIP(return, "no IOMMU: boot with tests/vm/run-vm.sh --iommu");
	link[n] = '\0';
	/* Type1 is no dependency of vfio-pci: a container asks for it. */
	if (system("modprobe -a vfio-pci vfio_iommu_type1 >/dev/null 2>&1") ||
	    !wst_exists("/sys/bus/pci/drivers/vfio-pci"))
		SKIP(return, "no vfio-pci");
	/*
	 * run-vm.sh's vIOMMU has no interrupt remapping (intremap=off), and
	 * type1 refuses such a platform unless told that MSIs may be
	 * unsafe. This test raises no interrupt: it polls the CQ.
	 */
	ASSERT_EQ(0, sysfs_write(UNSAFE_IRQS, "Y"));

	self->moved = true;
	ASSERT_EQ(0, rebind(self->bdf, "vfio-pci"));
	bound_driver(self->bdf, drv, sizeof(drv));
	ASSERT_STREQ("vfio-pci", drv);

	self->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->container) TH_LOG("/dev/vfio/vfio: %s", strerror(errno));
	ASSERT_EQ(VFIO_API_VERSION, ioctl(self->container, VFIO_GET_API_VERSION));
	ASSERT_LT(0, ioctl(self->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU));
	snprintf(path, sizeof(path), "/dev/vfio/%s", strrchr(link, '/') + 1);
	self->group = open(path, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->group) TH_LOG("%s: %s", path, strerror(errno));
	ASSERT_EQ(0, ioctl(self->group, VFIO_GROUP_GET_STATUS, &gs));
	ASSERT_TRUE(gs.flags & VFIO_GROUP_FLAGS_VIABLE)
		TH_LOG("the IOMMU group holds devices not bound to vfio-pci");
	ASSERT_EQ(0, ioctl(self->group, VFIO_GROUP_SET_CONTAINER, &self->container));
	ASSERT_EQ(0, ioctl(self->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU));
	self->dev = ioctl(self->group, VFIO_GROUP_GET_DEVICE_FD, self->bdf);
	ASSERT_LE(0, self->dev) TH_LOG("device fd: %s", strerror(errno));

	ri.index = VFIO_PCI_BAR0_REGION_INDEX;
	ASSERT_EQ(0, ioctl(self->dev, VFIO_DEVICE_GET_REGION_INFO, &ri));
	self->bar0_off = ri.offset;
	ri = (struct vfio_region_info){ .argsz = sizeof(ri),
					.index = VFIO_PCI_CONFIG_REGION_INDEX };
	ASSERT_EQ(0, ioctl(self->dev, VFIO_DEVICE_GET_REGION_INFO, &ri));
	self->cfg_off = ri.offset;
	/* Memory decoding and bus mastering, as pci_set_master() does. */
	ASSERT_EQ(2, pread(self->dev, &cmd, 2, self->cfg_off + PCI_COMMAND));
	cmd |= PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	ASSERT_EQ(2, pwrite(self->dev, &cmd, 2, self->cfg_off + PCI_COMMAND));
	ASSERT_EQ(WSE_ID_MAGIC, rd(self, WSE_REG_ID));
	ASSERT_TRUE(rd(self, WSE_REG_STATUS) & WSE_STATUS_READY);

	self->mem = mmap(NULL, MEM_LEN, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->mem);
	memset(self->mem, 0, MEM_LEN);
	ASSERT_EQ(0, dma_map(self->container, self->mem, MEM_IOVA, MEM_LEN));

	/* BAR2's first slot, in the IOMMU at BAR_IOVA: the hostile mapping. */
	self->slot = rd(self, WSE_REG_WINDOW_SIZE);
	ASSERT_LE(4096, self->slot);
	ri = (struct vfio_region_info){ .argsz = sizeof(ri),
					.index = VFIO_PCI_BAR2_REGION_INDEX };
	ASSERT_EQ(0, ioctl(self->dev, VFIO_DEVICE_GET_REGION_INFO, &ri));
	ASSERT_TRUE(ri.flags & VFIO_REGION_INFO_FLAG_MMAP);
	ASSERT_LE(self->slot, ri.size);
	self->bar2 = mmap(NULL, self->slot, PROT_READ | PROT_WRITE, MAP_SHARED,
			  self->dev, ri.offset);
	ASSERT_NE(MAP_FAILED, (void *)self->bar2);
	ASSERT_EQ(0, dma_map(self->container, (void *)self->bar2, BAR_IOVA,
			     self->slot))
		TH_LOG("type1 refused to map the BAR: %s", strerror(errno));

	/* Window 0 shows PE (1,0): RAM behind BAR2, what used to get through. */
	wr(self, WSE_REG_W(0, WSE_W_PE_XY), 1);
	wr(self, WSE_REG_W(0, WSE_W_OFFSET), 0);
	wr(self, WSE_REG_W(0, WSE_W_LENGTH), 4096);
	wr(self, WSE_REG_W(0, WSE_W_CTRL), WSE_WCTRL_ENABLE);
	ASSERT_EQ(WSE_WSTATUS_ACTIVE, rd(self, WSE_REG_W(0, WSE_W_STATUS)));

	/* Queue 0 over PE (0,0), its rings in the mapped memory. */
	wr(self, WSE_REG_Q(0, WSE_Q_CTRL), 0);
	wr(self, WSE_REG_Q(0, WSE_Q_SQ_BASE_LO), (uint32_t)(MEM_IOVA + SQ_OFF));
	wr(self, WSE_REG_Q(0, WSE_Q_SQ_BASE_HI), (MEM_IOVA + SQ_OFF) >> 32);
	wr(self, WSE_REG_Q(0, WSE_Q_CQ_BASE_LO), (uint32_t)(MEM_IOVA + CQ_OFF));
	wr(self, WSE_REG_Q(0, WSE_Q_CQ_BASE_HI), (MEM_IOVA + CQ_OFF) >> 32);
	wr(self, WSE_REG_Q(0, WSE_Q_SIZE), ORDER);
	wr(self, WSE_REG_Q(0, WSE_Q_VECTOR), 1);
	wr(self, WSE_REG_Q(0, WSE_Q_REGION_XY), 0);
	wr(self, WSE_REG_Q(0, WSE_Q_REGION_WH), 1 | 1 << 16);
	wr(self, WSE_REG_Q(0, WSE_Q_CTRL), WSE_QCTRL_ENABLE);
	ASSERT_EQ(WSE_QSTATUS_ENABLED, rd(self, WSE_REG_Q(0, WSE_Q_STATUS)));
	self->phase = 1;
}

/*
 * Close everything VFIO and give the device back to wse, for the tests
 * and suites after this one; 0 once wse has it and its node is back.
 */
static int give_back(struct _test_data_vfio *s)
{
	char drv[64];
	int i, ret;

	if (s->dev >= 0) {
		wr(s, WSE_REG_Q(0, WSE_Q_CTRL), 0);
		wr(s, WSE_REG_W(0, WSE_W_CTRL), 0);
		close(s->dev);
		s->dev = -1;
	}
	if (s->bar2 && s->bar2 != MAP_FAILED)
		munmap((void *)s->bar2, s->slot);
	s->bar2 = NULL;
	if (s->group >= 0)
		close(s->group);
	if (s->container >= 0)
		close(s->container);
	s->group = s->container = -1;
	if (s->mem && s->mem != MAP_FAILED)
		munmap(s->mem, MEM_LEN);
	s->mem = NULL;
	if (!s->moved)
		return 0;
	s->moved = false;
	sysfs_write(UNSAFE_IRQS, "N");
	ret = rebind(s->bdf, "");
	if (ret)
		return ret;
	bound_driver(s->bdf, drv, sizeof(drv));
	if (strcmp(drv, "wse"))
		return -ENODEV;
	/* No udev: devtmpfs shows the node once the driver registered it. */
	for (i = 0; i < 100 && !wst_exists(wst_node()); i++)
		usleep(100000);
	return wst_exists(wst_node()) ? 0 : -ENOENT;
}

FIXTURE_TEARDOWN(vfio)
{
	/* After a failed assertion too: the device goes back. */
	EXPECT_EQ(0, give_back(self));
}

/*
 * The driver's doors first: a mapped window is no user pointer and no
 * dma-buf, so no uAPI call gives the device an address of its own BAR2
 * (with or without an IOMMU).
 */
TEST(window_is_no_dma_buffer)
{
	struct drm_wse_window_create w = { .length = 4096 };
	struct drm_wse_bo_userptr u = { .size = 4096 };
	struct drm_wse_region r;
	struct drm_prime_handle ph = { .flags = DRM_CLOEXEC };
	struct drm_wse_info info;
	void *map;
	int fd = wst_open();

	if (fd == -ENOENT)
		SKIP(return, "no wse device node");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, wst_get_info(fd, &info));
	if (!(info.caps & DRM_WSE_CAP_WINDOWS) || !info.num_windows)
		SKIP(return, "the device has no windows");
	ASSERT_EQ(0, wst_region_alloc(fd, 1, 1, &r));
	ASSERT_EQ(0, wst_ioctl(fd, DRM_IOCTL_WSE_WINDOW_CREATE, &w));
	map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, w.mmap_offset);
	ASSERT_NE(MAP_FAILED, map);
	/* VM_IO | VM_PFNMAP: pin_user_pages() refuses it. */
	u.user_ptr = (uintptr_t)map;
	EXPECT_EQ(-EFAULT, wst_ioctl(fd, DRM_IOCTL_WSE_BO_USERPTR, &u));
	u.flags = DRM_WSE_USERPTR_READONLY;
	EXPECT_EQ(-EFAULT, wst_ioctl(fd, DRM_IOCTL_WSE_BO_USERPTR, &u));
	/* Nor does the window leave as a dma-buf, to come back imported. */
	ph.handle = w.handle;
	EXPECT_EQ(-EOPNOTSUPP, wst_ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ph));
	munmap(map, 4096);
	close(fd);
}

TEST_F(vfio, dma_into_own_window_is_refused)
{
	struct drm_wse_cmd cmds[4];
	struct drm_wse_info info;
	struct drm_wse_region r;
	struct drm_wse_wait res;
	uint8_t before[LEN], after[LEN];
	uint32_t h, n;
	void *map;
	int i, fd;

	/* PE (0,0) holds pattern A, the window (PE (1,0)) pattern B. */
	for (i = 0; i < LEN; i++) {
		self->mem[DATA_OFF + i] = 0xa0 + i;
		self->bar2[i] = 0x50 + i;
	}
	ASSERT_EQ(WSE_CQE_OK, run_copy(self, WSE_OP_WRITE, MEM_IOVA + DATA_OFF, 1));
	for (i = 0; i < LEN; i++)
		before[i] = self->bar2[i];

	/* SRAM -> the window's IOVA: refused, the window unchanged. */
	EXPECT_EQ(WSE_CQE_DMA_ERROR, run_copy(self, WSE_OP_READ, BAR_IOVA, 2));
	for (i = 0; i < LEN; i++)
		after[i] = self->bar2[i];
	EXPECT_EQ(0, memcmp(before, after, LEN));
	/* The window's IOVA -> SRAM: refused, PE (0,0) unchanged. */
	EXPECT_EQ(WSE_CQE_DMA_ERROR, run_copy(self, WSE_OP_WRITE, BAR_IOVA, 3));
	ASSERT_EQ(WSE_CQE_OK, run_copy(self, WSE_OP_READ, MEM_IOVA + BACK_OFF, 4));
	EXPECT_EQ(0, memcmp(self->mem + DATA_OFF, self->mem + BACK_OFF, LEN));

	/* The queue and the device go on. */
	EXPECT_EQ(WSE_CQE_OK, run_copy(self, WSE_OP_NOP, 0, 5));
	EXPECT_EQ(WSE_QSTATUS_ENABLED, rd(self, WSE_REG_Q(0, WSE_Q_STATUS)));
	EXPECT_FALSE(rd(self, WSE_REG_STATUS) & WSE_STATUS_FATAL);

	/* And so does the driver, once it has the device back. */
	ASSERT_EQ(0, give_back(self));
	fd = wst_open();
	ASSERT_LE(0, fd) TH_LOG("%s: %s", wst_node(), strerror(-fd));
	ASSERT_EQ(0, wst_get_info(fd, &info));
	ASSERT_EQ(0, wst_region_alloc(fd, 1, 1, &r));
	ASSERT_EQ(0, wst_bo_new(fd, 4096, &h, &map));
	memset(map, 0x3c, 4096);
	n = wst_sram_cmds(cmds, 4, DRM_WSE_OP_WRITE, h, 1, info.sram_bytes,
			  info.max_xfer, 0, 0, 0, 4096);
	ASSERT_EQ(0, wst_run(fd, cmds, n, &res));
	memset(map, 0, 4096);
	n = wst_sram_cmds(cmds, 4, DRM_WSE_OP_READ, h, 1, info.sram_bytes,
			  info.max_xfer, 0, 0, 0, 4096);
	ASSERT_EQ(0, wst_run(fd, cmds, n, &res));
	memset(before, 0x3c, LEN);
	EXPECT_EQ(0, memcmp(before, map, LEN));
	EXPECT_EQ(0, memcmp(before, (uint8_t *)map + 4096 - LEN, LEN));
	wst_bo_free(fd, h, map, 4096);
	close(fd);
}

TEST_HARNESS_MAIN
