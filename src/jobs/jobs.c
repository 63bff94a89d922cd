/* Periodic work run from the server's main loop: the outbox and the scheduler. */
#include "http/internal.h"

void pd_jobs_tick(struct pd_app *app)
{
	(void)app;
}
