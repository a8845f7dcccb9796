/*
 * diskspace: telling a full disk from other write failures, for the 507
 * insufficient-storage answers (db.c, backup.c, import.c).
 */
#ifndef CRMD_DISKSPACE_H
#define CRMD_DISKSPACE_H

/* less free space than this on a file system counts as full */
#define DISKSPACE_MARGIN (8LL << 20)

/* 1 if errno value e means "no room": ENOSPC, EDQUOT (quota) or EFBIG (file size limit). */
int diskspace_errno_full(int e);

/* 1 if the file system holding path has less than DISKSPACE_MARGIN free for this user. */
int diskspace_low(const char *path);

#endif
