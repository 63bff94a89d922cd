/* The fixed list of revocation reasons (domain/document_reason.h). */
#include "domain/document_reason.h"

#include <string.h>

#include "core/i18n.h"

const struct pd_document_reason pd_document_reasons[] = {
	{"kesalahan-data", N_("Diterbitkan karena kesalahan data")},
	{"diganti", N_("Digantikan dokumen baru")},
	{"permintaan-pemegang", N_("Dibatalkan atas permintaan pemegang")},
	{"putusan", N_("Dibatalkan berdasarkan putusan pengadilan atau keputusan pejabat berwenang")},
};
const size_t pd_document_n_reasons = sizeof pd_document_reasons / sizeof pd_document_reasons[0];

const char *pd_document_reason_label(const char *code)
{
	if (!code)
		return NULL;
	for (size_t i = 0; i < pd_document_n_reasons; i++)
		if (strcmp(pd_document_reasons[i].code, code) == 0)
			return pd_document_reasons[i].label;
	return NULL;
}
