/*
 * Placement across languages (issue 21): the vocabulary of occupations
 * (ILO ISCO-08) and skills that profiles and vacancies point at by
 * code, the pickers that choose from it without JavaScript, "vacancies
 * for you", and the CV made from a profile.  The matching itself is SQL:
 * the view placement_matches (migration 0029).
 */
#ifndef MAGNET_PLACEMENT_H
#define MAGNET_PLACEMENT_H

struct request;
struct tmpl_vars;

/* A vocabulary row's label (table alias o) in the language whose tag
 * is the SQL expression lang. */
#define PLACEMENT_LABEL(o, lang) "(CASE " lang " WHEN 'ckb' THEN " o \
	".ckb WHEN 'kmr-Arab' THEN " o ".kmr WHEN 'ar' THEN " o ".ar " \
	"ELSE " o ".en END)"

/* What the pickers of a form gave. */
struct placement_pick {
	const char	*code;		/* an occupation's code, or NULL */
	const char	*text;		/* typed text the vocabulary lacks */
	const char	*typed;		/* the field as sent, for the form */
	const char	*skills;	/* skill codes, "{a,b}" */
};

void		 placement_init(void);
/* Read "occupation" and the repeated "skill" of a form; an unknown
 * code is a problem on its field.  -1 when the database failed. */
int		 placement_read(struct request *, struct placement_pick *);
/* The pickers' variables: occupation (the text shown), occ_opts (the
 * datalist), skill_boxes, skills_open.  -1 when the database failed. */
int		 placement_set_pickers(struct request *, struct tmpl_vars *,
		    const char *shown, const char *skills);
/* The occupation as the form shows it: "label (code)" in the reader's
 * language, or the typed text. */
const char	*placement_shown(struct request *, const char *code,
		    const char *text);

/* Why an occupation matched, by placement_occ_level (1-4), or NULL. */
const char	*placement_why(struct request *, long long level);

int		 placement_for_you(struct request *);
int		 placement_cv(struct request *);
int		 placement_cv_download(struct request *);
int		 placement_app_cv(struct request *);

extern const char *const placement_cv_langs[];

#endif
