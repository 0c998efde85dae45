// AnonymousInode: what fstat reports for the descriptions Linux makes on its
// one anonymous inode (eventfd, timerfd, signalfd, epoll): mode 0600 with no
// file type, one link, on anon_inodefs.
namespace Kevlar.Process.Files.Events;

public static class AnonymousInode
{
    public static void Stat(ref FileStatus status)
    {
        status.Mode = 0x180; // rw------- and no S_IFMT bits, as anon_inode_inode has
        status.Device = 14;  // anon_inodefs's anonymous device
        status.Inode = 1;
        status.LinkCount = 1;
        status.BlockSize = 4096;
    }
}
