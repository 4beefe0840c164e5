/* SPDX-License-Identifier: MIT */
/*
 * Per-variant code (my_fw_ok.c includes it once per variant): the boot flags
 * under the guard of the versions that have them.
 */
void FW_FN(fill_boot)(FW_T(my_fw_boot) * b, uint32_t level);

void FW_FN(fill_boot)(FW_T(my_fw_boot) * b, uint32_t level)
{
	b->magic = 0x544f4f42;
	b->log_level = level;
#if GPUOWN_V >= FW_V_V2_0
	b->boot_flags = 0;
#endif
}
