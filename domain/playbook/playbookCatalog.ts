/** The validated playbooks of one start-up, immutable, looked up by id. */
import type { PlaybookDefinition } from './playbookDefinition';

export class PlaybookCatalog {
  private readonly byId: ReadonlyMap<string, PlaybookDefinition>;

  /** Playbooks with distinct ids (the loader guarantees it: the id is the file name). */
  constructor(playbooks: readonly PlaybookDefinition[]) {
    this.byId = new Map(playbooks.map((playbook) => [playbook.id, playbook]));
  }

  /** The playbook with this id, or undefined. */
  get(id: string): PlaybookDefinition | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Every playbook, in id order. */
  all(): PlaybookDefinition[] {
    return [...this.byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  ids(): string[] {
    return this.all().map((playbook) => playbook.id);
  }

  get size(): number {
    return this.byId.size;
  }
}
