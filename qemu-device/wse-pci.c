/*
 * wse-pci.c - QEMU glue of the wse wafer-scale engine PCIe device.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The device model itself (registers, queues, commands, windows, the
 * wafer) is plain C in wse-dev.c and friends; this file only plugs it into
 * QEMU: PCI identity and capabilities, the three BARs, MSI-X, guest memory
 * access for DMA, and the window slots as RAM aliases of the wafer's SRAM.
 *
 * Properties (Documentation/wse/hardware.rst has the register view):
 *   mesh-width, mesh-height  PEs of the wafer (default 8 x 8; up to
 *                            762 x 1176, the CS-3 fabric)
 *   sram-bytes               SRAM per PE (default 48 KiB)
 *   queues                   queue pairs (default 16, max 64)
 *   windows                  window slots in BAR2 (default 16)
 *   window-size              bytes per slot (default 4 MiB, power of two)
 *   wafer-threads            host threads running kernels (default 2)
 *   max-xfer, max-image      byte limits of one copy / one image
 *   insn-budget              instructions per PE per launch, 0 = no limit
 *
 * BAR0 holds the registers, BAR2 (64-bit, prefetchable) the windows,
 * BAR4 the MSI-X table: vector 0 for device events, the rest for queues.
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "qemu/rcu.h"
#include "qemu/thread.h"
#include "qemu/units.h"
#include "qapi/error.h"
#include "hw/pci/pci_device.h"
#include "hw/pci/pcie.h"
#include "hw/pci/msix.h"
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"
#include "system/dma.h"
#include "qom/object.h"

#include "wse-dev.h"
#include "trace.h"

#define TYPE_WSE_PCI "wse"
OBJECT_DECLARE_SIMPLE_TYPE(WsePciState, WSE_PCI)

#define WSE_NUM_VECTORS_MAX (WSE_MAX_QUEUES + 1)
#define WSE_PENDING_WORDS   DIV_ROUND_UP(WSE_NUM_VECTORS_MAX, 64)

struct WsePciState {
    PCIDevice parent_obj;

    struct wse_dev_config cfg;
    struct wse_dev dev;
    bool dev_ready;

    MemoryRegion regs;
    MemoryRegion aperture;      /* BAR2 container */
    MemoryRegion aperture_bg;   /* what a dark slot shows: zeros */
    MemoryRegion sram;          /* the wafer's SRAM as RAM */
    MemoryRegion sram_ro;       /* the same bytes, refusing stores */
    MemoryRegion win[WSE_MAX_WINDOWS];      /* slot onto sram */
    MemoryRegion win_ro[WSE_MAX_WINDOWS];   /* slot onto sram_ro */

    /* Vectors the workers raised, delivered by irq_bh under the BQL. */
    uint64_t pending[WSE_PENDING_WORDS];
    QEMUBH *irq_bh;
};

/* ---- services the device model needs ---- */

/*
 * Workers run without the BQL, so they may only touch guest RAM: an MMIO
 * target would need the lock (and could be our own registers). Each
 * piece is translated once (through a vIOMMU, if any) and copied from
 * what that translation found, inside one RCU section: a remap between a
 * check and a second translation cannot redirect the copy. The check is
 * on the target region, after translation: the device's own SRAM (what
 * its BAR2 windows show, whatever IOVA names them) is refused like MMIO.
 */
static int wse_dma_rw(void *opaque, uint64_t addr, void *buf, size_t len,
                      DMADirection dir)
{
    WsePciState *s = opaque;
    PCIDevice *pdev = PCI_DEVICE(s);
    AddressSpace *as = pci_get_address_space(pdev);
    bool is_write = dir == DMA_DIRECTION_FROM_DEVICE;
    uint8_t *p = buf;

    if (addr + len < addr) {
        return -EFAULT;
    }
    /* What dma_memory_rw() orders: guest stores before a doorbell are
     * seen, our stores land before the interrupt. */
    smp_mb();
    RCU_READ_LOCK_GUARD();
    while (len) {
        hwaddr xlat, l = len;
        MemoryRegion *mr;
        uint8_t *host;

        mr = address_space_translate(as, addr, &xlat, &l, is_write,
                                     MEMTXATTRS_UNSPECIFIED);
        if (!l || !memory_region_is_ram(mr) ||
            memory_region_is_ram_device(mr) || (is_write && mr->readonly) ||
            mr == &s->sram || mr == &s->sram_ro) {
            trace_wse_dma_refused(addr, l, is_write);
            return -EFAULT;
        }
        host = (uint8_t *)memory_region_get_ram_ptr(mr) + xlat;
        if (is_write) {
            memcpy(host, p, l);
            memory_region_set_dirty(mr, xlat, l);
        } else {
            memcpy(p, host, l);
        }
        addr += l;
        p += l;
        len -= l;
    }
    return 0;
}

static int wse_dma_read(void *opaque, uint64_t addr, void *buf, size_t len)
{
    return wse_dma_rw(opaque, addr, buf, len, DMA_DIRECTION_TO_DEVICE);
}

static int wse_dma_write(void *opaque, uint64_t addr, const void *buf,
                         size_t len)
{
    return wse_dma_rw(opaque, addr, (void *)buf, len,
                      DMA_DIRECTION_FROM_DEVICE);
}

static void wse_irq(void *opaque, unsigned int vector)
{
    WsePciState *s = opaque;

    qatomic_fetch_or(&s->pending[vector / 64], 1ull << (vector % 64));
    qemu_bh_schedule(s->irq_bh);
}

static void wse_irq_bh(void *opaque)
{
    WsePciState *s = opaque;
    PCIDevice *pdev = PCI_DEVICE(s);
    unsigned int w, v;

    for (w = 0; w < WSE_PENDING_WORDS; w++) {
        uint64_t bits = qatomic_xchg(&s->pending[w], 0);

        while (bits) {
            v = ctz64(bits);
            bits &= bits - 1;
            /* Masked or MSI-X disabled: msix_notify() sets the
             * pending bit and the message goes out on unmask. */
            trace_wse_irq(w * 64 + v);
            msix_notify(pdev, w * 64 + v);
        }
    }
}

/*
 * Each slot has two aliases at the same place, one onto the SRAM and one
 * onto its read-only view; at most one is enabled. A read-only flag on a
 * single alias would stop CPU stores but not DMA from other devices.
 */
static void wse_window_map(void *opaque, unsigned int slot, bool enabled,
                           uint64_t sram_offset, uint32_t len, bool readonly)
{
    WsePciState *s = opaque;
    MemoryRegion *mr = readonly ? &s->win_ro[slot] : &s->win[slot];

    memory_region_transaction_begin();
    memory_region_set_enabled(&s->win[slot], false);
    memory_region_set_enabled(&s->win_ro[slot], false);
    if (enabled) {
        memory_region_set_alias_offset(mr, sram_offset);
        memory_region_set_size(mr, len);
        memory_region_set_enabled(mr, true);
    }
    memory_region_transaction_commit();
}

static int wse_thread_create(void *opaque, const char *name,
                             void *(*fn)(void *), void *arg, void **handle)
{
    QemuThread *t = g_new0(QemuThread, 1);

    qemu_thread_create(t, name, fn, arg, QEMU_THREAD_JOINABLE);
    *handle = t;
    return 0;
}

static void wse_thread_join(void *opaque, void *handle)
{
    qemu_thread_join(handle);
    g_free(handle);
}

static void wse_thread_start(void *opaque)
{
    rcu_register_thread();
}

static void wse_thread_stop(void *opaque)
{
    rcu_unregister_thread();
}

static void G_GNUC_PRINTF(2, 0) wse_guest_error(void *opaque, const char *fmt,
                                                va_list ap)
{
    g_autofree char *msg = NULL;

    if (!qemu_loglevel_mask(LOG_GUEST_ERROR) &&
        !trace_event_get_state_backends(TRACE_WSE_UB_GUEST_ERROR)) {
        return;
    }
    msg = g_strdup_vprintf(fmt, ap);
    trace_wse_ub_guest_error(msg);
    qemu_log_mask(LOG_GUEST_ERROR, "wse: %s\n", msg);
}

static const struct wse_dev_ops wse_pci_dev_ops = {
    .dma_read = wse_dma_read,
    .dma_write = wse_dma_write,
    .irq = wse_irq,
    .window_map = wse_window_map,
    .thread_create = wse_thread_create,
    .thread_join = wse_thread_join,
    .thread_start = wse_thread_start,
    .thread_stop = wse_thread_stop,
    .guest_error = wse_guest_error,
};

/* ---- BAR0 ---- */

static uint64_t wse_mmio_read(void *opaque, hwaddr addr, unsigned size)
{
    WsePciState *s = opaque;
    uint32_t v = wse_dev_reg_read(&s->dev, addr);

    trace_wse_mmio_read(addr, v);
    return v;
}

static void wse_mmio_write(void *opaque, hwaddr addr, uint64_t val,
                           unsigned size)
{
    WsePciState *s = opaque;

    trace_wse_mmio_write(addr, val);
    wse_dev_reg_write(&s->dev, addr, val);
}

static const MemoryRegionOps wse_mmio_ops = {
    .read = wse_mmio_read,
    .write = wse_mmio_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {
        .min_access_size = 4,
        .max_access_size = 4,
    },
    .impl = {
        .min_access_size = 4,
        .max_access_size = 4,
    },
};

/* A dark window slot reads as zeros and drops writes. */
static uint64_t wse_dark_read(void *opaque, hwaddr addr, unsigned size)
{
    return 0;
}

static void wse_dark_write(void *opaque, hwaddr addr, uint64_t val,
                           unsigned size)
{
}

static const MemoryRegionOps wse_dark_ops = {
    .read = wse_dark_read,
    .write = wse_dark_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
};

/* ---- lifecycle ---- */

static void wse_pci_reset(DeviceState *ds)
{
    WsePciState *s = WSE_PCI(ds);
    unsigned int w;

    trace_wse_reset();
    if (s->dev_ready) {
        wse_dev_reset(&s->dev);
    }
    for (w = 0; w < WSE_PENDING_WORDS; w++) {
        qatomic_set(&s->pending[w], 0);
    }
    /* Vectors stay in use across resets: msix_reset() clears the table
     * and the pending bits, not the use counts (realize sets them once,
     * exit drops them). */
}

static void wse_pci_config_write(PCIDevice *pdev, uint32_t addr, uint32_t val,
                                 int len)
{
    pci_default_write_config(pdev, addr, val, len);
    pcie_cap_flr_write_config(pdev, addr, val, len);
}

static void wse_pci_realize(PCIDevice *pdev, Error **errp)
{
    WsePciState *s = WSE_PCI(pdev);
    uint64_t aperture_size, sram_size;
    char err[256];
    unsigned int i, v;
    int ret;

    s->cfg.num_vectors = s->cfg.num_queues + 1;
    if (s->cfg.num_queues < 1 || s->cfg.num_queues > WSE_MAX_QUEUES) {
        error_setg(errp, "wse: queues %u out of range 1..%u",
                   s->cfg.num_queues, WSE_MAX_QUEUES);
        return;
    }
    if (s->cfg.num_windows < 1 || s->cfg.num_windows > WSE_MAX_WINDOWS) {
        error_setg(errp, "wse: windows %u out of range 1..%u",
                   s->cfg.num_windows, WSE_MAX_WINDOWS);
        return;
    }
    if (wse_dev_check_config(&s->cfg, err, sizeof(err))) {
        error_setg(errp, "wse: %s", err);
        return;
    }
    /*
     * The SRAM is QEMU's own RAM, reserved but not committed
     * (RAM_NORESERVE: a full wafer is 42 GB, untouched PEs cost
     * nothing), so it lives as long as the MemoryRegion the windows
     * alias, not just until exit. sram_ro shows the same bytes.
     */
    sram_size = (uint64_t)s->cfg.mesh_width * s->cfg.mesh_height *
                s->cfg.sram_bytes;
    if (!memory_region_init_ram_flags_nomigrate(&s->sram, OBJECT(s),
                                                "wse.sram", sram_size,
                                                RAM_NORESERVE, errp)) {
        return;
    }
    memory_region_init_ram_ptr(&s->sram_ro, OBJECT(s), "wse.sram-ro",
                               sram_size, memory_region_get_ram_ptr(&s->sram));
    memory_region_set_readonly(&s->sram_ro, true);
    s->cfg.sram = memory_region_get_ram_ptr(&s->sram);

    s->irq_bh = qemu_bh_new_guarded(wse_irq_bh, s,
                                    &DEVICE(pdev)->mem_reentrancy_guard);
    ret = wse_dev_init(&s->dev, &s->cfg, &wse_pci_dev_ops, s, err, sizeof(err));
    if (ret) {
        error_setg(errp, "wse: %s", err);
        qemu_bh_delete(s->irq_bh);
        return;
    }
    s->dev_ready = true;

    pci_config_set_prog_interface(pdev->config, 0);
    /*
     * D0 and D3hot. In D3hot the BARs do not decode (QEMU's PCI core) and
     * nothing else changes: the device keeps SRAM, programs, queues and
     * windows, which No_Soft_Reset tells the driver, so that D3hot -> D0
     * needs no reinitialization.
     */
    if (pci_pm_init(pdev, 0x60, errp) < 0) {
        goto err_dev;
    }
    pci_set_word(pdev->config + 0x60 + PCI_PM_PMC, 3); /* PM 1.2 */
    pci_set_word(pdev->config + 0x60 + PCI_PM_CTRL,
                 PCI_PM_CTRL_NO_SOFT_RESET);
    pci_set_word(pdev->wmask + 0x60 + PCI_PM_CTRL, PCI_PM_CTRL_STATE_MASK);
    if (pcie_endpoint_cap_init(pdev, 0x80) < 0) {
        error_setg(errp, "wse: cannot add the PCIe capability");
        goto err_dev;
    }
    pcie_cap_flr_init(pdev);

    memory_region_init_io(&s->regs, OBJECT(s), &wse_mmio_ops, s, "wse.regs",
                          WSE_REGS_SIZE);
    pci_register_bar(pdev, WSE_BAR_REGS, PCI_BASE_ADDRESS_SPACE_MEMORY |
                     PCI_BASE_ADDRESS_MEM_TYPE_64, &s->regs);

    /* BAR2: slots of RAM aliases onto the SRAM, so that guest loads and
     * stores through a window never trap into QEMU. */
    aperture_size = pow2ceil((uint64_t)s->cfg.num_windows * s->cfg.window_size);
    memory_region_init(&s->aperture, OBJECT(s), "wse.aperture", aperture_size);
    memory_region_init_io(&s->aperture_bg, OBJECT(s), &wse_dark_ops, s,
                          "wse.aperture-dark", aperture_size);
    memory_region_add_subregion_overlap(&s->aperture, 0, &s->aperture_bg, 0);
    for (i = 0; i < s->cfg.num_windows; i++) {
        g_autofree char *name = g_strdup_printf("wse.window%u", i);
        g_autofree char *name_ro = g_strdup_printf("wse.window%u-ro", i);
        hwaddr at = (hwaddr)i * s->cfg.window_size;

        memory_region_init_alias(&s->win[i], OBJECT(s), name, &s->sram, 0,
                                 s->cfg.window_size);
        memory_region_init_alias(&s->win_ro[i], OBJECT(s), name_ro,
                                 &s->sram_ro, 0, s->cfg.window_size);
        memory_region_set_enabled(&s->win[i], false);
        memory_region_set_enabled(&s->win_ro[i], false);
        memory_region_add_subregion_overlap(&s->aperture, at, &s->win[i], 1);
        memory_region_add_subregion_overlap(&s->aperture, at, &s->win_ro[i], 1);
    }
    pci_register_bar(pdev, WSE_BAR_SRAM, PCI_BASE_ADDRESS_SPACE_MEMORY |
                     PCI_BASE_ADDRESS_MEM_TYPE_64 |
                     PCI_BASE_ADDRESS_MEM_PREFETCH, &s->aperture);

    if (msix_init_exclusive_bar(pdev, s->cfg.num_vectors, WSE_BAR_MSIX,
                                errp)) {
        goto err_dev;
    }
    for (v = 0; v < s->cfg.num_vectors; v++) {
        msix_vector_use(pdev, v);
    }
    return;

err_dev:
    s->dev_ready = false;
    wse_dev_fini(&s->dev);
    qemu_bh_delete(s->irq_bh);
}

static void wse_pci_exit(PCIDevice *pdev)
{
    WsePciState *s = WSE_PCI(pdev);
    unsigned int i;

    if (!s->dev_ready) {
        return;
    }
    /* Workers stop before the memory they copy to goes away. */
    wse_dev_fini(&s->dev);
    s->dev_ready = false;
    for (i = 0; i < s->cfg.num_windows; i++) {
        memory_region_del_subregion(&s->aperture, &s->win[i]);
        memory_region_del_subregion(&s->aperture, &s->win_ro[i]);
    }
    msix_unuse_all_vectors(pdev);
    msix_uninit_exclusive_bar(pdev);
    qemu_bh_delete(s->irq_bh);
    /* s->sram itself lives on until the device is finalized. */
}

static const Property wse_pci_props[] = {
    DEFINE_PROP_UINT32("mesh-width", WsePciState, cfg.mesh_width, 8),
    DEFINE_PROP_UINT32("mesh-height", WsePciState, cfg.mesh_height, 8),
    DEFINE_PROP_UINT32("sram-bytes", WsePciState, cfg.sram_bytes,
                       WAFER_DEFAULT_SRAM),
    DEFINE_PROP_UINT32("queues", WsePciState, cfg.num_queues, 16),
    DEFINE_PROP_UINT32("windows", WsePciState, cfg.num_windows, 16),
    DEFINE_PROP_UINT32("window-size", WsePciState, cfg.window_size, 4 * MiB),
    DEFINE_PROP_UINT32("wafer-threads", WsePciState, cfg.wafer_threads, 2),
    DEFINE_PROP_UINT32("max-xfer", WsePciState, cfg.max_xfer, 256 * MiB),
    DEFINE_PROP_UINT32("max-image", WsePciState, cfg.max_image, 16 * MiB),
    DEFINE_PROP_UINT64("insn-budget", WsePciState, cfg.insn_budget, 0),
};

static const VMStateDescription wse_vmstate = {
    .name = "wse",
    .unmigratable = 1,
};

static void wse_pci_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *k = PCI_DEVICE_CLASS(oc);

    k->realize = wse_pci_realize;
    k->exit = wse_pci_exit;
    k->config_write = wse_pci_config_write;
    k->vendor_id = WSE_PCI_VENDOR_ID;
    k->device_id = WSE_PCI_DEVICE_ID;
    k->revision = WSE_PCI_REVISION;
    k->class_id = WSE_PCI_CLASS;
    set_bit(DEVICE_CATEGORY_MISC, dc->categories);
    dc->desc = "wse wafer-scale engine (CS-3 style)";
    dc->vmsd = &wse_vmstate;
    dc->hotpluggable = true;
    device_class_set_props(dc, wse_pci_props);
    device_class_set_legacy_reset(dc, wse_pci_reset);
}

static const TypeInfo wse_pci_info = {
    .name = TYPE_WSE_PCI,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(WsePciState),
    .class_init = wse_pci_class_init,
    .interfaces = (InterfaceInfo[]) {
        { INTERFACE_PCIE_DEVICE },
        { }
    },
};

static void wse_pci_register_types(void)
{
    type_register_static(&wse_pci_info);
}

type_init(wse_pci_register_types)
