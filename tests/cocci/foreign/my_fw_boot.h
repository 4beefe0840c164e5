/* SPDX-License-Identifier: MIT */
/*
 * Per-variant code (my_fw.c includes it once per variant): the boot flags
 * are written for every variant, though only firmware 2.0 and later have
 * them.
 */
void FW_FN(fill_boot)(FW_T(my_fw_boot) * b, uint32_t level);

void FW_FN(fill_boot)(FW_T(my_fw_boot) * b, uint32_t level)
{
	b->magic = 0x544f4f42;
	b->log_level = level;
	b->boot_flags = 0;
}
