/* Role names as people read them (DESIGN §2's roles), one table for every page. */
#include "web/common_roles.h"

#include <stddef.h>
#include <string.h>

#include "core/i18n.h"

const char *pd_web_role_label(const char *role)
{
	static const char *const labels[][2] = {
		{"citizen", N_("Warga")},
		{"officer", N_("Petugas")},
		{"coordinator", N_("Koordinator")},
		{"supervisor", N_("Penyelia")},
		{"moderator", N_("Moderator")},
		{"ppid", N_("PPID")},
		{"ppid_superior", N_("Atasan PPID")},
		{"administrator", N_("Administrator")},
		{"auditor", N_("Auditor")},
	};
	for (size_t i = 0; role && i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(labels[i][0], role) == 0)
			return labels[i][1];
	return N_("Staf");
}
