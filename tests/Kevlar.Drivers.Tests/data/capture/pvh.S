/* A PVH "kernel" that halts at its 32-bit entry, so the QEMU monitor can
   read EBX (the hvm_start_info address) and dump RAM. Used by capture.sh. */
    .section .note.Xen, "a"
    .p2align 2
    .long 4          /* namesz */
    .long 4          /* descsz */
    .long 18         /* XEN_ELFNOTE_PHYS32_ENTRY */
    .asciz "Xen"
    .long _start32
    .text
    .code32
    .globl _start32
_start32:
    cli
1:  hlt
    jmp 1b
