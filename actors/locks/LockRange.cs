// LockRange: struct flock's (l_whence, l_start, l_len) turned into the
// inclusive byte range a lock covers, as Linux's flock64_to_posix_lock:
// SEEK_SET/SEEK_CUR/SEEK_END as the base, l_len 0 to the end of the file,
// a negative l_len the bytes before the start.
//
// Errors: -EINVAL for another whence, a start before byte 0, or a negative
// length reaching before byte 0; -EOVERFLOW when the range passes OFFSET_MAX.
namespace Kevlar.Locks;

public static class LockRange
{
    public const int SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2;

    /// <summary>The range for <paramref name="whence"/>/<paramref name="start"/>/<paramref name="length"/>
    /// given the description's offset and the file's size: 0 or -errno.</summary>
    public static int Resolve(int whence, long start, long length, long offset, long size, out long first, out long last)
    {
        first = 0;
        last = 0;
        long origin;
        switch (whence)
        {
            case SEEK_SET: origin = 0; break;
            case SEEK_CUR: origin = offset; break;
            case SEEK_END: origin = size; break;
            default: return -Errno.EINVAL;
        }
        if (start > FileLock.Eof - origin) return -Errno.EOVERFLOW;
        first = origin + start;
        if (first < 0) return -Errno.EINVAL;
        if (length > 0)
        {
            if (length - 1 > FileLock.Eof - first) return -Errno.EOVERFLOW;
            last = first + (length - 1);
        }
        else if (length < 0)
        {
            if (first + length < 0) return -Errno.EINVAL;
            last = first - 1;
            first += length;
        }
        else
        {
            last = FileLock.Eof;
        }
        return 0;
    }
}
