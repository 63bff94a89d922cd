/* Error codes shared by every layer, with their names. */
#ifndef PD_CORE_ERR_H
#define PD_CORE_ERR_H

/* Every fallible function returns one of these; 0 is success. */
enum pd_err {
	PD_OK = 0,
	PD_ERR_NOMEM,      /* out of memory */
	PD_ERR_INVALID,    /* input does not have the required form */
	PD_ERR_TOO_LARGE,  /* input exceeds a limit */
	PD_ERR_NOT_FOUND,  /* no such object, or the actor may not see it */
	PD_ERR_FORBIDDEN,  /* the actor may see the object but not act on it */
	PD_ERR_CONFLICT,   /* a unique rule or a race was lost */
	PD_ERR_BUSY,       /* transient: retry (database busy, serialisation failure) */
	PD_ERR_DB,         /* hard database error */
	PD_ERR_IO,         /* file or network error */
	PD_ERR_SCHEMA,     /* database schema is behind or ahead of the program */
	PD_ERR_UNAVAILABLE,/* shutting down or queue full */
	PD_ERR_CRYPTO,     /* authentication of a ciphertext or signature failed */
	PD_ERR__MAX
};

/* Returns a static, English, lower-case description of err. */
const char *pd_strerror(int err);

#endif
