/* SARIF output: one finding, checked for its rule id, file and line. */
#include <gpuown/object.h>

void sarif_double_free(struct gpuown_obj *o)
{
	gpuown_obj_free(o);
	gpuown_obj_free(o); /* the finding: line 7 */
}
// SPDX-License-Identifier: MIT
