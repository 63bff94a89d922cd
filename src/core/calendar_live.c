/* The published working-day calendar: reference-counted generations under one short lock, so a
 * reader never sees a calendar half built or freed under it. */
#include "core/calendar_live.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

/* One published calendar and the readers holding it. */
struct gen {
	struct pd_calendar *cal;
	int64_t generation;
	long readers;
	struct gen *next;  /* on the retired list */
};

struct pd_calendar_live {
	pthread_mutex_t lock;  /* guards cur, retired and every readers count */
	struct gen *cur;
	struct gen *retired;   /* replaced generations that readers still hold */
	_Atomic int64_t generation;
	int tz_offset_min;
};

struct pd_calendar_live *pd_calendar_live_new(struct pd_calendar *cal, int64_t generation,
                                              int tz_offset_min)
{
	struct pd_calendar_live *live = calloc(1, sizeof *live);
	struct gen *g = calloc(1, sizeof *g);
	if (!live || !g || !cal) {
		free(live);
		free(g);
		pd_calendar_free(cal);
		return NULL;
	}
	pthread_mutex_init(&live->lock, NULL);
	g->cal = cal;
	g->generation = generation;
	live->cur = g;
	atomic_init(&live->generation, generation);
	live->tz_offset_min = tz_offset_min;
	return live;
}

static void gen_free(struct gen *g)
{
	pd_calendar_free(g->cal);
	free(g);
}

void pd_calendar_live_free(struct pd_calendar_live *live)
{
	if (!live)
		return;
	while (live->retired) {
		struct gen *g = live->retired;
		live->retired = g->next;
		gen_free(g);
	}
	if (live->cur)
		gen_free(live->cur);
	pthread_mutex_destroy(&live->lock);
	free(live);
}

const struct pd_calendar *pd_calendar_live_acquire(struct pd_calendar_live *live)
{
	pthread_mutex_lock(&live->lock);
	live->cur->readers++;
	const struct pd_calendar *cal = live->cur->cal;
	pthread_mutex_unlock(&live->lock);
	return cal;
}

void pd_calendar_live_release(struct pd_calendar_live *live, const struct pd_calendar *cal)
{
	if (!cal)
		return;
	struct gen *dead = NULL;
	pthread_mutex_lock(&live->lock);
	if (live->cur->cal == cal) {
		live->cur->readers--;
	} else {
		for (struct gen **p = &live->retired; *p; p = &(*p)->next) {
			if ((*p)->cal != cal)
				continue;
			if (--(*p)->readers == 0) {
				dead = *p;
				*p = dead->next;
			}
			break;
		}
	}
	pthread_mutex_unlock(&live->lock);
	if (dead)
		gen_free(dead);
}

void pd_calendar_live_publish(struct pd_calendar_live *live, struct pd_calendar *cal,
                              int64_t generation)
{
	struct gen *g = calloc(1, sizeof *g);
	if (!g) {
		pd_calendar_free(cal); /* keep the published one; the next check tries again */
		return;
	}
	g->cal = cal;
	g->generation = generation;
	struct gen *old;
	pthread_mutex_lock(&live->lock);
	old = live->cur;
	live->cur = g;
	atomic_store(&live->generation, generation);
	if (old->readers > 0) {
		old->next = live->retired;
		live->retired = old;
		old = NULL;
	}
	pthread_mutex_unlock(&live->lock);
	if (old)
		gen_free(old);
}

int64_t pd_calendar_live_generation(struct pd_calendar_live *live)
{
	return atomic_load(&live->generation);
}

int pd_calendar_live_tz(const struct pd_calendar_live *live)
{
	return live->tz_offset_min;
}
