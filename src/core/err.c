/* Names of the error codes. */
#include "core/err.h"

static const char *const names[PD_ERR__MAX] = {
	[PD_OK] = "ok",
	[PD_ERR_NOMEM] = "out of memory",
	[PD_ERR_INVALID] = "invalid input",
	[PD_ERR_TOO_LARGE] = "too large",
	[PD_ERR_NOT_FOUND] = "not found",
	[PD_ERR_FORBIDDEN] = "forbidden",
	[PD_ERR_CONFLICT] = "conflict",
	[PD_ERR_BUSY] = "busy, try again",
	[PD_ERR_DB] = "database error",
	[PD_ERR_IO] = "input/output error",
	[PD_ERR_SCHEMA] = "database schema does not match the program",
	[PD_ERR_UNAVAILABLE] = "unavailable",
	[PD_ERR_CRYPTO] = "authentication failed",
};

const char *pd_strerror(int err)
{
	if (err < 0 || err >= PD_ERR__MAX || !names[err])
		return "unknown error";
	return names[err];
}
