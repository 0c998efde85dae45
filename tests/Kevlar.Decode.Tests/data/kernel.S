# A tiny "kernel" for the decoder tests, assembled and linked at test time by
# TestKernel.cs:
#   as --64 -o kernel.o kernel.S
#   ld -m elf_x86_64 -static -nostdlib -Ttext=0x100000 -e _start -o kernel.elf kernel.o
# Symbols imitate ilc names. The layout is fixed, so tests name addresses:
#   _start           0x100000  (call Run at 0x100000, returns to 0x100005)
#   Main__Run        0x100008  (call Trigger returns to 0x100018,
#                               call [s_handler] returns to 0x10001e)
#   Panic__Trigger   0x100020  (faulting store at 0x100039 = trigger_fault_site)
#   String__Concat   0x100043
#   s_handler        0x101000  (data object)
    .intel_syntax noprefix
    .text
    .globl _start
    .type _start, @function
_start:
    call Kevlar_Kernel_Kevlar_Boot_Main__Run
1:  hlt
    jmp 1b
    .size _start, . - _start

    .globl Kevlar_Kernel_Kevlar_Boot_Main__Run
    .type Kevlar_Kernel_Kevlar_Boot_Main__Run, @function
Kevlar_Kernel_Kevlar_Boot_Main__Run:
    push rbp
    mov rbp, rsp
    lea rbx, [rip + S_P_CoreLib_System_String__Concat]
    call Kevlar_Kernel_Kevlar_Drivers_X86_64_Panic__Trigger
    call qword ptr [rip + s_handler]
    pop rbp
    ret
    .size Kevlar_Kernel_Kevlar_Boot_Main__Run, . - Kevlar_Kernel_Kevlar_Boot_Main__Run

    .globl Kevlar_Kernel_Kevlar_Drivers_X86_64_Panic__Trigger
    .type Kevlar_Kernel_Kevlar_Drivers_X86_64_Panic__Trigger, @function
Kevlar_Kernel_Kevlar_Drivers_X86_64_Panic__Trigger:
    push rbp
    mov rbp, rsp
    sub rsp, 16
    mov rdi, 0x1000
    movabs rax, 0x1122334455667788
    .globl trigger_fault_site
trigger_fault_site:
    mov qword ptr [rdi + 8], rax
    add rsp, 16
    pop rbp
    ret
    .size Kevlar_Kernel_Kevlar_Drivers_X86_64_Panic__Trigger, . - Kevlar_Kernel_Kevlar_Drivers_X86_64_Panic__Trigger

    .globl S_P_CoreLib_System_String__Concat
    .type S_P_CoreLib_System_String__Concat, @function
S_P_CoreLib_System_String__Concat:
    mov rax, rdi
    call rax
    ret
    .size S_P_CoreLib_System_String__Concat, . - S_P_CoreLib_System_String__Concat

    .data
    .globl s_handler
    .type s_handler, @object
s_handler:
    .quad S_P_CoreLib_System_String__Concat
    .size s_handler, 8
