/*
 * diskspace: telling a full disk from other write failures. SQLite and
 * stdio often lose the errno of the failed write, so callers also ask
 * diskspace_low() about the file system right after a failure.
 */
#include "diskspace.h"

#include <errno.h>
#include <sys/statvfs.h>

int
diskspace_errno_full(int e)
{
    return e == ENOSPC || e == EDQUOT || e == EFBIG;
}

int
diskspace_low(const char *path)
{
    struct statvfs vfs;

    return path && path[0] && statvfs(path, &vfs) == 0 &&
           (long long)vfs.f_bavail * (long long)vfs.f_frsize < DISKSPACE_MARGIN;
}
