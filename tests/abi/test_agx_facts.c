// SPDX-License-Identifier: MIT
/*
 * The AGX set against the facts the public sources state, independently of
 * the sizes written in the .fwdef files: a wrong `size` line there would
 * still pass fwgen's own checks, so the oracle lives here too.
 */
#include <criterion/criterion.h>
#include <stddef.h>

#include <gpuown_fw/agx.h>

/* Sizes stated by the sources (DEVICECONTROL_SZ, STATS_SZ, EVENT_SZ + tag). */
Test(agx_facts, device_control_grows_on_g14_from_13_2)
{
	cr_expect_eq(sizeof(struct agx_device_control_msg__G13_V12_3), 0x30);
	cr_expect_eq(sizeof(struct agx_device_control_msg__G14_V13_0B4), 0x30);
	cr_expect_eq(sizeof(struct agx_device_control_msg__G14_V13_2), 0x40);
	cr_expect_eq(sizeof(struct agx_device_control_msg__G14_V13_5), 0x40);
	cr_expect_eq(sizeof(struct agx_device_control_msg__G13_V13_5), 0x30);
	cr_expect_eq(sizeof(struct agx_device_control_msg__G14X_V13_5), 0x30);
	cr_expect_eq(sizeof(struct agx_run_work_queue_msg__G14_V13_3), 0x40);
	cr_expect_eq(sizeof(struct agx_run_work_queue_msg__G14X_V13_3), 0x30);
	cr_expect_eq(sizeof(struct agx_dc_destroy_context__G14_V13_3), 0x40);
	cr_expect_eq(sizeof(struct agx_dc_destroy_context__G13_V13_3), 0x30);
}

Test(agx_facts, stats_grow_in_13_0b4)
{
	cr_expect_eq(sizeof(struct agx_stats_msg__G13_V12_3), 0x30);
	cr_expect_eq(sizeof(struct agx_stats_msg__G14X_V12_3), 0x30);
	cr_expect_eq(sizeof(struct agx_stats_msg__G13_V13_0B4), 0x40);
	cr_expect_eq(sizeof(struct agx_stats_msg__G14_V13_5), 0x40);
}

Test(agx_facts, fixed_size_messages_and_ring_entries)
{
	cr_expect_eq(sizeof(struct agx_event_msg__G13_V12_3), 0x38);
	cr_expect_eq(sizeof(struct agx_event_msg__G14X_V13_5), 0x38);
	cr_expect_eq(sizeof(struct agx_fwlog_entry__G14_V13_2), 0xd8);
	cr_expect_eq(sizeof(struct agx_ktrace_entry__G13_V13_3), 0x38);
	cr_expect_eq(sizeof(struct agx_fwctl_msg__G14X_V13_0B4), 0x14);
	cr_expect_eq(sizeof(struct agx_tx_channel_state__G13_V12_3), 0x30);
	cr_expect_eq(sizeof(struct agx_rx_channel_state__G14X_V13_5), 0x30);
	cr_expect_eq(sizeof(struct agx_fwctl_channel_state__G14_V13_2), 0x20);
}

/* Unk17 exists from 13.3 and moves every later message type up by one. */
Test(agx_facts, device_control_types_renumber_in_13_3)
{
	cr_expect_eq(AGX_DC_DESTROY_CONTEXT__G13_V13_2, 0x17);
	cr_expect_eq(AGX_DC_DESTROY_CONTEXT__G13_V13_3, 0x18);
	cr_expect_eq(AGX_DC_UNK_17__G14_V13_5, 0x17);
	cr_expect_eq(AGX_DC_INITIALIZE__G14X_V13_0B4, 0x19);
	cr_expect_eq(AGX_DC_INITIALIZE__G14X_V13_5, 0x1a);
}

/* DestroyContext loses its padding and unk_18 in 13.3. */
Test(agx_facts, destroy_context_packs_in_13_3)
{
	cr_expect_eq(offsetof(struct agx_dc_destroy_context__G13_V13_2, unk_c),
		     0xc);
	cr_expect_eq(offsetof(struct agx_dc_destroy_context__G13_V13_3, unk_c),
		     0x9);
	cr_expect_eq(offsetof(struct agx_dc_destroy_context__G13_V13_2,
			      gpu_context_1c),
		     0x1c);
	cr_expect_eq(offsetof(struct agx_dc_destroy_context__G13_V13_3,
			      gpu_context_1c),
		     0x14);
}

/* ps_pad_0 sits before pending_stamps in 13.3 only. */
Test(agx_facts, pending_stamp_pad_moves_in_13_3)
{
	cr_expect_eq(offsetof(struct agx_globals_pending_stamps__G13_V13_2,
			      pending_stamps_4),
		     0x4);
	cr_expect_eq(offsetof(struct agx_globals_pending_stamps__G13_V13_3,
			      pending_stamps_4),
		     0xc);
	cr_expect_eq(offsetof(struct agx_globals_pending_stamps__G13_V13_3,
			      ps_pad),
		     0x4);
	cr_expect_eq(offsetof(struct agx_globals_pending_stamps__G14X_V13_5,
			      ps_pad),
		     0x804);
}

/* Gates of buffer::Info, buffer::Scene, NotifierState and RunFragment. */
Test(agx_facts, version_gated_fields)
{
	/* Info.unk_1c iff V < 13.0b4 || G >= G14X */
	cr_expect_eq(sizeof(struct agx_buffer_info__G13_V12_3), 0xc0);
	cr_expect_eq(sizeof(struct agx_buffer_info__G14_V13_0B4), 0xbc);
	cr_expect_eq(sizeof(struct agx_buffer_info__G14X_V13_5), 0xc0);
	/* Scene: control words iff G >= G14X, unk_28 iff V >= 13.3 */
	cr_expect_eq(offsetof(struct agx_buffer_scene__G14X_V13_2,
			      pass_page_count_0),
		     0x10);
	cr_expect_eq(sizeof(struct agx_buffer_scene__G13_V13_3), 0x48);
	/* NotifierState: G14 inserts before 13.0b4, unk_buf from 13.0b4 */
	cr_expect_eq(sizeof(struct agx_notifier_state__G13_V12_3), 0x94);
	cr_expect_eq(sizeof(struct agx_notifier_state__G14_V12_3), 0xac);
	cr_expect_eq(sizeof(struct agx_notifier_state__G14_V13_0B4), 0x9c);
	/* RunFragment: counter iff V >= 13.0b4 */
	cr_expect_eq(offsetof(struct agx_run_fragment_head__G13_V12_3,
			      vm_slot_4),
		     0x4);
	cr_expect_eq(offsetof(struct agx_run_fragment_head__G13_V13_0B4,
			      vm_slot_4),
		     0xc);
	/* RegisterArray: 128 x {u32, U64} at a 12-byte stride, plus pad */
	cr_expect_eq(sizeof(struct agx_register_array__G14X_V13_5), 0x710);
}

/* The runtime's descriptor tables see the same layouts. */
Test(agx_facts, descriptor_tables_cover_every_variant)
{
	cr_expect_eq(agx_variant_table.nr_variants, 15);
}
