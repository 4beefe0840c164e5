/* Generated-style firmware structs for the versioned_field test. */
struct fw_init_data__G10_V1_0 {
	uint32_t magic_0;
	uint32_t nr_stamps_4;
	uint32_t log_level_4c;
};

struct fw_init_data__G11_V2_1 {
	uint32_t magic_0;
	uint32_t nr_stamps_4;
	uint32_t log_level_4c;
	uint64_t boot_flags_50_0 __gpuown_versioned("V >= V2_0");
	uint32_t unk_58 __gpuown_versioned("V >= V2_0 && G >= G11");
};

struct fw_ctrl_msg__G12_V3_0 {
	uint32_t type_0;
	uint8_t pad_30[0x10] __gpuown_versioned("G >= G12");
};

/* The same name unversioned elsewhere: accesses to it are not checked. */
struct fw_other__G10_V1_0 {
	uint32_t type_0;
	uint8_t pad_30[0x10];
};
/* SPDX-License-Identifier: MIT */
