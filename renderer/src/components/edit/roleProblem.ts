// Why a role may not do a change to these points, in words (null: it may): a viewer changes nothing, several
// points at once need a supervisor (the backend checks the same).
import { roleAllows } from '../../../../common/model.js';
import type { Role } from '../../../../common/model.js';

export function roleProblem(
  role: Role | null,
  points: number,
  words: { viewer: string; several: string },
): string | null {
  if (!role) return null;
  if (!roleAllows(role, 'edit')) return `Your role (${role}) ${words.viewer}.`;
  if (points > 1 && !roleAllows(role, 'bulkEdit')) return `${words.several} needs a supervisor; your role is ${role}.`;
  return null;
}
