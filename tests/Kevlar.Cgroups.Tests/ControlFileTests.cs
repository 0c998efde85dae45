using Xunit;
using Kevlar.Cgroups;

namespace Kevlar.Cgroups.Tests;

public class ControlFileTests
{
    private readonly FakeHost _host = new();
    private readonly CgroupTree _tree;
    private readonly CgroupMember _writer = new(1);

    public ControlFileTests() { _tree = new CgroupTree(_host); }

    private Cgroup Make(Cgroup parent, string name)
    {
        Assert.Equal(0, _tree.Mkdir(parent, name, out Cgroup? made));
        return made!;
    }

    private int Write(Cgroup g, ControlKind file, string text, Func<int, CgroupMember?>? find = null)
        => _tree.Write(g, file, text, _writer, find ?? (_ => null));

    [Theory]
    [InlineData("12", 0, 12L)]
    [InlineData(" +0x1f\n", 0, 31L)]
    [InlineData("010", 0, 8L)]
    [InlineData("-5", 0, -5L)]
    [InlineData("0", 0, 0L)]
    [InlineData("", -22, 0L)]
    [InlineData("1 2", -22, 0L)]
    [InlineData("08", -22, 0L)]
    [InlineData("0x", -22, 0L)]
    [InlineData("2147483648", -34, 0L)]
    [InlineData("-2147483648", 0, -2147483648L)]
    public void ParseInt_AsKstrtoint(string text, int result, long value)
    {
        Assert.Equal(result, CgroupTree.ParseInt(text.Trim(), false, out long got));
        if (result == 0) Assert.Equal(value, got);
    }

    [Fact]
    public void ParseInt_Wide_TakesLongs()
    {
        Assert.Equal(0, CgroupTree.ParseInt("99999999999", true, out long v));
        Assert.Equal(99999999999L, v);
        Assert.Equal(-34, CgroupTree.ParseInt("99999999999999999999", true, out _));
    }

    [Fact]
    public void Procs_BadValues_EINVALAndUnknownPidESRCH()
    {
        Cgroup a = Make(_tree.Root, "a");
        Assert.Equal(-Errno.EINVAL, Write(a, ControlKind.Procs, "abc"));
        Assert.Equal(-Errno.EINVAL, Write(a, ControlKind.Procs, "-5"));
        Assert.Equal(-Errno.EINVAL, Write(a, ControlKind.Procs, "99999999999"));
        Assert.Equal(-Errno.ESRCH, Write(a, ControlKind.Procs, "42"));
    }

    [Fact]
    public void Procs_Zero_MovesTheWriter_AndListsPidsAscending()
    {
        Cgroup a = Make(_tree.Root, "a");
        var other = new CgroupMember(9);
        Assert.Equal(0, Write(a, ControlKind.Procs, "9\n", pid => pid == 9 ? other : null));
        Assert.Equal(0, Write(a, ControlKind.Procs, "0"));
        Assert.Equal("1\n9\n", _tree.Read(a, ControlKind.Procs));
        Assert.Equal("1\n9\n", _tree.Read(a, ControlKind.Threads));
        _host.Root = [3, 2];
        Assert.Equal("2\n3\n", _tree.Read(_tree.Root, ControlKind.Procs));
    }

    [Fact]
    public void Limits_MaxAndNumbers_ErrorsAsLinux()
    {
        Cgroup a = Make(_tree.Root, "a");
        Assert.Equal("max\n", _tree.Read(a, ControlKind.MaxDepth));
        Assert.Equal(0, Write(a, ControlKind.MaxDepth, "0x10\n"));
        Assert.Equal("16\n", _tree.Read(a, ControlKind.MaxDepth));
        Assert.Equal(-Errno.ERANGE, Write(a, ControlKind.MaxDepth, "-1"));
        Assert.Equal(-Errno.ERANGE, Write(a, ControlKind.MaxDescendants, "99999999999"));
        Assert.Equal(-Errno.EINVAL, Write(a, ControlKind.MaxDescendants, "x"));
        Assert.Equal(0, Write(a, ControlKind.MaxDepth, "max"));
        Assert.Equal("max\n", _tree.Read(a, ControlKind.MaxDepth));
    }

    [Fact]
    public void PidsMax_RangeAndMax()
    {
        Cgroup a = Make(_tree.Root, "a");
        Assert.Equal(-Errno.EINVAL, Write(a, ControlKind.PidsMax, "-1"));
        Assert.Equal(-Errno.EINVAL, Write(a, ControlKind.PidsMax, "4194305"));
        Assert.Equal(-Errno.EINVAL, Write(a, ControlKind.PidsMax, "lots"));
        Assert.Equal(0, Write(a, ControlKind.PidsMax, "4194304"));
        Assert.Equal("4194304\n", _tree.Read(a, ControlKind.PidsMax));
        Assert.Equal(0, Write(a, ControlKind.PidsMax, "max\n"));
        Assert.Equal("max\n", _tree.Read(a, ControlKind.PidsMax));
    }

    [Fact]
    public void FreezeAndKill_OutOfRange_ERANGE()
    {
        Cgroup a = Make(_tree.Root, "a");
        Assert.Equal(-Errno.ERANGE, Write(a, ControlKind.Freeze, "2"));
        Assert.Equal(-Errno.EINVAL, Write(a, ControlKind.Freeze, "x"));
        Assert.Equal(-Errno.ERANGE, Write(a, ControlKind.Kill, "0"));
        Assert.Empty(_host.Killed);
    }

    [Fact]
    public void SubtreeControl_Rules()
    {
        Cgroup a = Make(_tree.Root, "a");
        Assert.Equal(-Errno.EINVAL, Write(_tree.Root, ControlKind.SubtreeControl, "pids"));
        Assert.Equal(-Errno.EINVAL, Write(_tree.Root, ControlKind.SubtreeControl, "+memory"));
        Assert.Equal(-Errno.ENOENT, Write(a, ControlKind.SubtreeControl, "+pids"));
        Assert.Equal(0, Write(_tree.Root, ControlKind.SubtreeControl, " +pids "));
        Assert.Equal("pids\n", _tree.Read(_tree.Root, ControlKind.SubtreeControl));
        Assert.Equal("pids\n", _tree.Read(a, ControlKind.Controllers));
        Assert.Equal("\n", _tree.Read(a, ControlKind.SubtreeControl));
        Write(a, ControlKind.Procs, "0");
        Cgroup b = Make(a, "b");
        Assert.Equal(0, _tree.Migrate(new CgroupMember(5), b));
        Assert.Equal(-Errno.EBUSY, Write(a, ControlKind.SubtreeControl, "+pids"));   // tasks, and a populated domain child
        _tree.Exit(_tree.Root.Children[0].Children[0].Members[0]);
        Write(_tree.Root, ControlKind.Procs, "0");
        Assert.Equal(0, Write(a, ControlKind.SubtreeControl, "+pids"));
        Assert.Equal(-Errno.EBUSY, Write(_tree.Root, ControlKind.SubtreeControl, "-pids"));
        Assert.Equal(0, Write(a, ControlKind.SubtreeControl, "-pids"));
        a.PidsMax = 3;
        Assert.Equal(0, Write(_tree.Root, ControlKind.SubtreeControl, "-pids"));
        Assert.Equal(Cgroup.NoLimit, a.PidsMax);
    }

    [Fact]
    public void Texts_AsLinuxShowsThem()
    {
        Cgroup a = Make(_tree.Root, "a");
        Make(a, "b");
        Assert.Equal("domain\n", _tree.Read(a, ControlKind.Type));
        Assert.Equal("nr_descendants 1\nnr_dying_descendants 0\n", _tree.Read(a, ControlKind.Stat));
        Assert.Equal("populated 0\nfrozen 0\n", _tree.Read(a, ControlKind.Events));
        Assert.Equal("0\n", _tree.Read(a, ControlKind.PidsCurrent));
        Assert.Equal("max 0\n", _tree.Read(a, ControlKind.PidsEvents));
        Assert.Equal("pids\n", _tree.Read(_tree.Root, ControlKind.Controllers));
        Assert.Equal("/a/b", a.Children[0].Path);
        Assert.Equal(-Errno.EINVAL, Write(a, ControlKind.Type, "domain"));
        Assert.Equal(-Errno.EOPNOTSUPP, Write(_tree.Root, ControlKind.Type, "threaded"));
        Assert.Equal(0, Write(a, ControlKind.Type, "threaded"));
        Assert.Equal("threaded\n", _tree.Read(a, ControlKind.Type));
        Assert.Equal("domain invalid\n", _tree.Read(a.Children[0], ControlKind.Type));
    }

    [Fact]
    public void ControlFiles_WhichExistWhere()
    {
        Cgroup a = Make(_tree.Root, "a");
        string[] Names(Cgroup g) => ControlFile.All.Where(f => f.ExistsIn(g)).Select(f => f.Name).ToArray();
        Assert.Equal(["cgroup.controllers", "cgroup.max.depth", "cgroup.max.descendants", "cgroup.procs", "cgroup.stat", "cgroup.subtree_control", "cgroup.threads"], Names(_tree.Root));
        Assert.DoesNotContain("pids.max", Names(a));
        _tree.Root.SubtreePids = true;
        Assert.Contains("pids.max", Names(a));
        Assert.Equal(15, Names(a).Length);
    }

    [Fact]
    public void Write_ToARemovedCgroup_ENODEV()
    {
        Cgroup a = Make(_tree.Root, "a");
        _tree.Rmdir(a);
        Assert.Equal(-Errno.ENODEV, Write(a, ControlKind.PidsMax, "1"));
    }
}
