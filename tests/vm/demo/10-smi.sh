# Shown by `make demo`: the devices wse-smi finds.
echo "\$ wse-smi -L"
wse-smi -L
echo "\$ wse-smi"
wse-smi
