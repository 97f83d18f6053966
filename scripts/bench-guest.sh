# Sourced by the benchmarks that need a real guest (bench-backup-paths.sh, bench-daemon-memory.sh).
# bench_mixed_qcow2 FOLDER: FOLDER/disk.qcow2, 1 GiB of mixed content: 400 MiB random, 300 MiB of
#   zeros left unallocated, 324 MiB of text.
# bench_guest_xml NAME DISK: the XML of a guest with that one disk and no OS (the BIOS finds nothing
#   to boot, so the guest writes nothing), KVM when libvirt offers it; sets TYPE.

bench_mixed_qcow2() {
    head -c 400M /dev/urandom > "$1/disk.raw"
    head -c 300M /dev/zero >> "$1/disk.raw"
    seq 1 200000000 2> /dev/null | head -c 324M >> "$1/disk.raw" || true   # seq ends on SIGPIPE: 1024 MiB in all
    [ "$(stat -c %s "$1/disk.raw")" = 1073741824 ]
    qemu-img convert -O qcow2 "$1/disk.raw" "$1/disk.qcow2"
    rm -f "$1/disk.raw"
}

bench_guest_xml() {
    TYPE=qemu
    virsh capabilities | grep -c "<domain type='kvm'" > /dev/null && TYPE=kvm
    cat <<XML
<domain type='$TYPE'>
  <name>$1</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='$2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
  </devices>
</domain>
XML
}
