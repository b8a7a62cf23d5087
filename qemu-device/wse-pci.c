#include "qemu/osdep.h"
#include "hw/pci/pci_device.h"
#include "qom/object.h"

#define TYPE_WSE_PCI "wse"
OBJECT_DECLARE_SIMPLE_TYPE(WsePciState, WSE_PCI)

struct WsePciState {
    PCIDevice parent_obj;
};

static void wse_class_init(ObjectClass *oc, void *data)
{
    PCIDeviceClass *k = PCI_DEVICE_CLASS(oc);

    k->vendor_id = 0x1234;
    k->device_id = 0x5753;
    k->class_id = 0x1200;
}

static const TypeInfo wse_info = {
    .name = TYPE_WSE_PCI,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(WsePciState),
    .class_init = wse_class_init,
    .interfaces = (InterfaceInfo[]) {
        { INTERFACE_PCIE_DEVICE },
        { }
    },
};

static void wse_register_types(void)
{
    type_register_static(&wse_info);
}

type_init(wse_register_types)
