// The alert rules: read by everyone, changed by supervisors (the backend checks the role again and refuses a stale
// version). Durations are edited in minutes.
import { useEffect, useState } from 'react';
import {
  ALERT_RULE_LABELS,
  mayEditAlertRules,
  type AlertRules,
  type AlertRulesState,
} from '../../../../common/alerts.js';
import type { Role } from '../../../../common/model.js';
import type { HostApi } from '../../api/index.js';
import { duration, formToRules, isDurationField, rulesToForm, type RulesForm } from '../../model/alerts.js';
import { errorMessage } from '../../util/errors.js';
import { actorName, fullTime } from '../../util/time.js';

const FIELDS = Object.keys(ALERT_RULE_LABELS) as (keyof AlertRules)[];

export function AlertRulesEditor({
  api,
  rules,
  role,
}: {
  api: HostApi;
  rules: AlertRulesState | null;
  role: Role | null;
}) {
  const mayEdit = role !== null && mayEditAlertRules(role);
  const [form, setForm] = useState<RulesForm | null>(null);
  const [problems, setProblems] = useState<Partial<Record<keyof AlertRules, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  useEffect(() => setSaved(false), [rules?.version]);

  if (!rules) return <p className="muted small">The rules arrive with the alerts once this console is online.</p>;
  const editing = form !== null;

  const save = async () => {
    if (!form) return;
    const parsed = formToRules(form);
    if ('problems' in parsed) return setProblems(parsed.problems);
    setProblems({});
    setSaving(true);
    setError(null);
    try {
      await api.call('setAlertRules', { rules: parsed.rules, version: rules.version });
      setForm(null);
      setSaved(true);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="alert-rules" data-testid="alert-rules">
      <dl className="rule-list">
        {FIELDS.map((k) => (
          <div key={k} className="rule-row">
            <dt>
              <label htmlFor={`rule-${k}`}>{ALERT_RULE_LABELS[k]}</label>
            </dt>
            <dd>
              {editing ? (
                <>
                  <input
                    id={`rule-${k}`}
                    className="rule-input"
                    inputMode="decimal"
                    value={form[k]}
                    aria-invalid={problems[k] ? true : undefined}
                    aria-describedby={problems[k] ? `rule-${k}-problem` : undefined}
                    onChange={(e) => setForm({ ...form, [k]: e.target.value })}
                  />{' '}
                  {isDurationField(k) ? 'min' : 'times'}
                  {problems[k] && (
                    <span id={`rule-${k}-problem`} className="rule-problem">
                      {' '}
                      {problems[k]}
                    </span>
                  )}
                </>
              ) : (
                <span data-testid={`rule-${k}`}>
                  {isDurationField(k) ? duration(rules.rules[k]) : `${rules.rules[k]} times`}
                </span>
              )}
            </dd>
          </div>
        ))}
      </dl>
      <p className="muted small">
        {rules.changedBy
          ? `Last changed by ${actorName(rules.changedBy)} at ${fullTime(rules.changedAt)}.`
          : 'The defaults: never changed.'}{' '}
        {mayEdit ? '' : 'Only a supervisor can change them.'}
        {saved && <span className="rule-saved"> Saved: the backend applies them at once.</span>}
      </p>
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      {mayEdit &&
        (editing ? (
          <div className="alert-actions">
            <button
              type="button"
              className="btn btn-small btn-primary"
              disabled={saving}
              onClick={() => void save()}
              data-testid="save-rules"
            >
              Save rules
            </button>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => (setForm(null), setProblems({}), setError(null))}
            >
              Cancel
            </button>
          </div>
        ) : (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => setForm(rulesToForm(rules.rules))}
            data-testid="edit-rules"
          >
            Change the rules
          </button>
        ))}
    </div>
  );
}
