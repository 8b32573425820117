/* SPDX-License-Identifier: GPL-2.0 */
/* What test_unit.c's checks share with the other test files. */
#ifndef VLOCTL_TEST_UNIT_H
#define VLOCTL_TEST_UNIT_H

#define CHECK(cond) t_check(!!(cond), __FILE__, __LINE__, #cond)
#define CHECK_STR(got, want) t_check_str(got, want, __FILE__, __LINE__)

void t_check(int ok, const char *file, int line, const char *what);
void t_check_str(const char *got, const char *want, const char *file,
		 int line);

/* test_nl.c */
void test_nl(void);

#endif /* VLOCTL_TEST_UNIT_H */
