/*
 * test_diskspace: which errno values count as a full disk (507 rather than
 * 500), and that diskspace_low answers "not low" for paths it cannot ask
 * about (a missing path must never turn an I/O error into 507).
 */
#include <check.h>
#include <errno.h>

#include "diskspace.h"
#include "unit_suites.h"

START_TEST(full_disk_errnos)
{
    static const struct {
        int e, full;
    } cases[] = {
        { ENOSPC, 1 }, { EDQUOT, 1 }, { EFBIG, 1 }, { 0, 0 },      { EIO, 0 },
        { EACCES, 0 }, { EROFS, 0 },  { EBADF, 0 }, { EINTR, 0 }, { ENOENT, 0 },
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        ck_assert_msg(diskspace_errno_full(cases[i].e) == cases[i].full, "errno %d", cases[i].e);
}
END_TEST

START_TEST(paths_that_cannot_be_asked_are_not_low)
{
    ck_assert_int_eq(diskspace_low(NULL), 0);
    ck_assert_int_eq(diskspace_low(""), 0);
    ck_assert_int_eq(diskspace_low("/no/such/directory/crmd-test"), 0);
}
END_TEST

Suite *
diskspace_suite(void)
{
    Suite *s = suite_create("diskspace");
    TCase *tc = tcase_create("diskspace");

    tcase_add_test(tc, full_disk_errnos);
    tcase_add_test(tc, paths_that_cannot_be_asked_are_not_low);
    suite_add_tcase(s, tc);
    return s;
}
