/*
 * test_faultvfs: the CRMD_FAULTS grammar (what is accepted, what refused)
 * and which calls a rule fails: its operation, its path text, its window
 * "@N+M" of matching calls.
 */
#include <check.h>
#include <sqlite3.h>

#include "faultvfs.h"
#include "unit_suites.h"

START_TEST(grammar)
{
    static const char *const good[] = { "busy:lock", "ioerr:read@5", "full:write@2+3~-wal",
                                         "ioerr:sync~.tmp-,busy:lock,audit-queue=8",
                                         "ioerr:truncate@1+1" };
    static const char *const bad[] = { "slow:read",      "busy:open",      "busy",
                                       "ioerr:read@0",   "ioerr:read@2+0", "full:write~",
                                       "full:write x",   "audit-queue=0",  "audit-queue=5x",
                                       "ioerr:read@1+1-" };

    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        ck_assert_msg(faultvfs_parse(good[i]) == 0, "refused: %s", good[i]);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        ck_assert_msg(faultvfs_parse(bad[i]) == -1, "accepted: %s", bad[i]);
}
END_TEST

START_TEST(window_path_and_operation)
{
    ck_assert_int_eq(faultvfs_parse("ioerr:write@2+2~-wal,full:sync"), 0);
    ck_assert_int_eq(faultvfs_check("write", "/d/x.db"), SQLITE_OK); /* not the WAL: not counted */
    ck_assert_int_eq(faultvfs_check("write", "/d/x.db-wal"), SQLITE_OK); /* 1st */
    ck_assert_int_eq(faultvfs_check("write", "/d/x.db-wal"), SQLITE_IOERR_WRITE);
    ck_assert_int_eq(faultvfs_check("write", "/d/x.db-wal"), SQLITE_IOERR_WRITE);
    ck_assert_int_eq(faultvfs_check("write", "/d/x.db-wal"), SQLITE_OK); /* 4th: past the window */
    ck_assert_int_eq(faultvfs_check("read", "/d/x.db-wal"), SQLITE_OK);
    ck_assert_int_eq(faultvfs_check("sync", NULL), SQLITE_FULL); /* for ever, any file */
    ck_assert_int_eq(faultvfs_check("sync", "/d/x.db"), SQLITE_FULL);
    ck_assert_int_eq(faultvfs_check("open", "/d/x.db"), -1);
    ck_assert_int_eq(faultvfs_parse("busy:lock,audit-queue=8"), 0);
    ck_assert_int_eq(faultvfs_check("lock", "/d/x.db-shm"), SQLITE_BUSY);
    ck_assert_int_eq(faultvfs_audit_queue(8192), 8);
    ck_assert_int_eq(faultvfs_parse(""), 0);
    ck_assert_int_eq(faultvfs_check("lock", "/d/x.db-shm"), SQLITE_OK);
    ck_assert_int_eq(faultvfs_audit_queue(8192), 8192);
}
END_TEST

Suite *
faultvfs_suite(void)
{
    Suite *s = suite_create("faultvfs");
    TCase *tc = tcase_create("faultvfs");

    tcase_add_test(tc, grammar);
    tcase_add_test(tc, window_path_and_operation);
    suite_add_tcase(s, tc);
    return s;
}
