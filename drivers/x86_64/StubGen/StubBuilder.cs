// Builds the whole stub object; separate from Program so tests can inspect it.
namespace Kevlar.StubGen;

public static class StubBuilder
{
    /// <summary>XEN_ELFNOTE_PHYS32_ENTRY: the 32-bit physical entry point QEMU's PVH boot uses.</summary>
    public const uint XenElfNotePhys32Entry = 18;

    public static StubImage Layout() => Layout(new byte[0]);

    /// <summary>The stub blob, carrying <paramref name="vdso"/> (the vDSO built from
    /// drivers/x86_64/Vdso; empty: the kernel maps none) between kevlar_vdso_image and _end.</summary>
    public static StubImage Layout(byte[] vdso)
    {
        var image = new StubImage();
        BootEntry.Emit(image);
        image.Align(16);
        InterruptStubs.Emit(image);
        image.Align(16);
        RuntimeStubs.Emit(image);
        image.Align(16);
        // The stack-protector value compiled code checks around stackalloc buffers.
        image.AddData(BitConverter.GetBytes(0x2B992DDFA232UL), "__security_cookie");
        image.Align(16);
        ulong apEntry = StubImage.Base + (ulong)image.Symbols.First(s => s.Name == "kevlar_ap_entry64").Offset;
        image.AddData(ApTrampoline.Build(apEntry), "kevlar_ap_trampoline");
        image.Symbols.Add(new ElfSymbol("kevlar_ap_trampoline_end", (int)(image.Here - StubImage.Base), false));
        // Where the kernel patches the copied trampoline: CR3, stack top, CPU index (u32 offsets).
        var fields = new MemoryStream();
        foreach (uint offset in new[] { ApTrampoline.Cr3Field, ApTrampoline.StackField, ApTrampoline.CpuIndexField })
            fields.Write(BitConverter.GetBytes(offset));
        image.AddData(fields.ToArray(), "kevlar_ap_trampoline_fields");
        image.Align(16);
        image.AddData(vdso, "kevlar_vdso_image");
        image.Symbols.Add(new ElfSymbol("kevlar_vdso_image_end", (int)(image.Here - StubImage.Base), false));
        return image;
    }

    public static byte[] Build() => Build(new byte[0]);

    public static byte[] Build(byte[] vdso)
    {
        var image = Layout(vdso);
        byte[] note = ElfObjectWriter.Note("Xen", XenElfNotePhys32Entry, BitConverter.GetBytes((uint)StubImage.Base));
        return ElfObjectWriter.Write(".kevlar.boot", image.Code, image.Symbols, image.Relocations, ".note.Xen", note);
    }
}
