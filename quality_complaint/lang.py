"""In whose language a text the module writes is written.

A text is written in the language of the one who reads it, when it is written:

- what one person reads (an activity, a notification): that user's language,
  ``reader_env(env, user)``;
- what the customer (or a supplier) reads: that partner's language,
  ``reader_env(env, partner)``;
- what every user reads on a screen (the grade reasons): rendered when it is
  read, from stored codes and values, in the reader's language (the env's);
- what the system writes for everyone on a record (a chatter note of a cron,
  or of a user's action for the others; the record's kept copy of the grade
  reasons): the company's language, ``company_env(env, company)``, never the
  language of the user who happened to click.

Both return an environment whose ``env._`` and translated fields speak that
language; the one of ``env`` when the reader has none or it is not active.
"""


def _active(env, lang):
    return lang if lang and env["res.lang"]._get_data(code=lang).code else False


def reader_env(env, reader):
    """``env`` in the language of ``reader`` (a user or a partner)."""
    lang = _active(env, reader.lang) if reader else False
    if not lang or lang == env.lang:
        return env
    return env(context=dict(env.context, lang=lang))


def company_env(env, company):
    """``env`` in the language of ``company`` (its partner's), for what the system
    writes on a record for everyone."""
    return reader_env(env, company.partner_id if company else None)


def company_envs(env, records):
    """``{company: company_env(env, company)}`` for the companies of ``records``
    (an empty company maps to ``env``): a batch's notes, each in the language of
    its record's company, computed once per company."""
    envs = {company: company_env(env, company) for company in records.company_id}
    envs[records.company_id.browse()] = env
    return envs
