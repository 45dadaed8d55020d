/** Fake Defender for Endpoint API: machines, MachineActions that go Pending -> InProgress -> Succeeded over polls, duplicates refused. */
import type { EntraAuthorityFake } from './entraAuthorityFake';
import { FailureQueue, startHttpsFake, type FakeReply, type ProgrammedFailure, type RecordedRequest, type RunningFake } from './httpsFake';

export interface FakeMachine {
  id: string;
  computerDnsName: string;
  machineTags: string[];
  rbacGroupName: string | null;
  isolated: boolean;
  quarantined: string[];
  scans: number;
}

export type MachineActionStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'TimeOut' | 'Cancelled';

export interface FakeMachineAction {
  id: string;
  type: string;
  status: MachineActionStatus;
  machineId: string;
  computerDnsName: string;
  requestorComment: string;
  creationDateTimeUtc: string;
  lastUpdateDateTimeUtc: string;
  /** The request body it was made from. */
  body: Record<string, unknown>;
  /** GETs of this action so far. */
  polls: number;
  /** How it will end. */
  outcome: MachineActionStatus;
}

const VERBS: Record<string, string> = { isolate: 'Isolate', unisolate: 'Unisolate', StopAndQuarantineFile: 'StopAndQuarantineFile', runAntiVirusScan: 'RunAntiVirusScan' };

export class DefenderFake {
  private machines = new Map<string, FakeMachine>();
  private machineActions: FakeMachineAction[] = [];
  private failures = new FailureQueue();
  private outcomes: MachineActionStatus[] = [];
  private clock = Date.parse('2026-03-02T08:00:00Z');
  /** GETs of an action until it ends: the first answers InProgress, the `pollsToFinish`-th the outcome. */
  pollsToFinish = 2;
  /** While true, actions stay InProgress (a job running for minutes, for crash tests). */
  hold = false;
  /** Delay before every answer, in ms (for timeouts and crash tests). */
  delayMs = 0;
  url = '';

  constructor(
    private readonly log: RecordedRequest[],
    private readonly authority: EntraAuthorityFake,
  ) {
    this.seed();
  }

  async start(): Promise<RunningFake> {
    const running = await startHttpsFake('defender', this.log, async (request) => {
      if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      return this.answer(request);
    });
    this.url = running.url;
    return running;
  }

  addMachine(machine: Partial<FakeMachine> & { computerDnsName: string }): FakeMachine {
    const full: FakeMachine = {
      id: `${(this.machines.size + 1).toString(16).padStart(8, '0')}a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8`,
      machineTags: [],
      rbacGroupName: null,
      isolated: false,
      quarantined: [],
      scans: 0,
      ...machine,
      computerDnsName: machine.computerDnsName.toLowerCase(),
    };
    this.machines.set(full.id, full);
    return full;
  }

  machine(idOrDnsName: string): FakeMachine {
    const machine = this.machines.get(idOrDnsName) ?? [...this.machines.values()].find((m) => m.computerDnsName === idOrDnsName.toLowerCase());
    if (!machine) throw new Error(`The Defender fake has no machine ${idOrDnsName}`);
    return machine;
  }

  /** Every MachineAction asked for, oldest first. */
  actions(): FakeMachineAction[] {
    return [...this.machineActions];
  }

  /** The next actions created end with these statuses (one each), instead of Succeeded. */
  endNextActionsWith(...outcomes: MachineActionStatus[]): void {
    this.outcomes.push(...outcomes);
  }

  /** Ends an action now (after `hold`), e.g. while the worker that follows it is down. */
  finish(actionId: string, status: MachineActionStatus = 'Succeeded'): void {
    const action = this.machineActions.find((a) => a.id === actionId);
    if (!action) throw new Error(`The Defender fake has no action ${actionId}`);
    this.end(action, status);
  }

  /** A MachineAction someone else started (the portal, another run), still in progress. */
  addPendingAction(machineId: string, type: string): FakeMachineAction {
    return this.create(this.machine(machineId), type, { Comment: 'Started in the Defender portal' });
  }

  failNext(count: number, failure: ProgrammedFailure = { status: 429, retryAfter: '1' }, pathPart?: string): void {
    this.failures.add(count, failure, (r) => pathPart === undefined || r.path.includes(pathPart));
  }

  reset(): void {
    this.machines.clear();
    this.machineActions = [];
    this.failures.clear();
    this.outcomes = [];
    this.pollsToFinish = 2;
    this.hold = false;
    this.delayMs = 0;
    this.seed();
  }

  private seed(): void {
    this.addMachine({ computerDnsName: 'ws-0042.rheinwerk.local', machineTags: ['RW-Workstations', 'Plant-Neuss'], rbacGroupName: 'RW Clients' });
    this.addMachine({ computerDnsName: 'srv-db01.rheinwerk.local', machineTags: ['RW-Servers'], rbacGroupName: 'RW Servers' });
    this.addMachine({ computerDnsName: 'ws-0107.mueller-logistik.local', machineTags: [], rbacGroupName: null });
  }

  private create(machine: FakeMachine, type: string, body: Record<string, unknown>): FakeMachineAction {
    this.clock += 1000;
    const at = new Date(this.clock).toISOString();
    const action: FakeMachineAction = {
      id: `${this.machineActions.length + 1}0c3f9a2-7b1e-4d2a-9f6b-3e8a1c5d7b9f`.slice(0, 36),
      type,
      status: 'Pending',
      machineId: machine.id,
      computerDnsName: machine.computerDnsName,
      requestorComment: typeof body.Comment === 'string' ? body.Comment : '',
      creationDateTimeUtc: at,
      lastUpdateDateTimeUtc: at,
      body,
      polls: 0,
      outcome: this.outcomes.shift() ?? 'Succeeded',
    };
    this.machineActions.push(action);
    return action;
  }

  private end(action: FakeMachineAction, status: MachineActionStatus): void {
    action.status = status;
    action.lastUpdateDateTimeUtc = new Date(++this.clock).toISOString();
    if (status !== 'Succeeded') return;
    const machine = this.machine(action.machineId);
    if (action.type === 'Isolate') machine.isolated = true;
    if (action.type === 'Unisolate') machine.isolated = false;
    if (action.type === 'StopAndQuarantineFile') machine.quarantined.push(String(action.body.Sha1));
    if (action.type === 'RunAntiVirusScan') machine.scans += 1;
  }

  private answer(request: RecordedRequest): FakeReply {
    if (!this.authority.tokenInfo(request.authorization)) return error(401, 'Unauthorized', 'Authorization has been denied for this request.');
    const failure = this.failures.take(request);
    if (failure) return failure;
    const { method, path } = request;
    let m: RegExpExecArray | null;
    if (path === '/api/machines' && method === 'GET') {
      const filter = request.query['$filter'] ?? '';
      const dns = /computerDnsName eq '([^']*)'/.exec(filter)?.[1];
      const value = [...this.machines.values()].filter((machine) => dns === undefined || machine.computerDnsName === dns.toLowerCase()).map(machineJson);
      return { status: 200, body: { '@odata.context': 'https://api.security.microsoft.com/api/$metadata#Machines', value } };
    }
    if ((m = /^\/api\/machines\/([^/]+)$/.exec(path)) && method === 'GET') {
      const machine = this.machines.get(m[1] ?? '');
      return machine ? { status: 200, body: machineJson(machine) } : error(404, 'ResourceNotFound', `Machine ${m[1]} was not found`);
    }
    if ((m = /^\/api\/machines\/([^/]+)\/([A-Za-z]+)$/.exec(path)) && method === 'POST') {
      const machine = this.machines.get(m[1] ?? '');
      const type = VERBS[m[2] ?? ''];
      if (!type) return error(404, 'ResourceNotFound', `No such action ${m[2]}`);
      if (!machine) return error(404, 'ResourceNotFound', `Machine ${m[1]} was not found`);
      const body = (request.body ?? {}) as Record<string, unknown>;
      if (typeof body.Comment !== 'string' || body.Comment === '') return error(400, 'InvalidInput', 'Comment is required');
      if (type === 'StopAndQuarantineFile' && !/^[0-9a-f]{40}$/i.test(String(body.Sha1))) return error(400, 'InvalidInput', 'Sha1 is not a valid SHA-1');
      if (this.machineActions.some((a) => a.machineId === machine.id && a.type === type && (a.status === 'Pending' || a.status === 'InProgress'))) {
        return error(400, 'ActiveRequestAlreadyExists', 'Action is already in progress');
      }
      return { status: 201, body: actionJson(this.create(machine, type, body)) };
    }
    if ((m = /^\/api\/machineactions\/([^/]+)$/.exec(path)) && method === 'GET') {
      const action = this.machineActions.find((a) => a.id === m?.[1]);
      if (!action) return error(404, 'ResourceNotFound', `MachineAction ${m[1]} was not found`);
      action.polls += 1;
      if (action.status === 'Pending' || action.status === 'InProgress') {
        if (!this.hold && action.polls >= this.pollsToFinish) this.end(action, action.outcome);
        else action.status = 'InProgress';
      }
      return { status: 200, body: actionJson(action) };
    }
    if (path === '/api/machineactions' && method === 'GET') {
      const filter = request.query['$filter'] ?? '';
      const machineId = /machineId eq '([^']*)'/.exec(filter)?.[1];
      const types = [...filter.matchAll(/type eq '([^']*)'/g)].map((t) => t[1]);
      const value = this.machineActions.filter((a) => (machineId === undefined || a.machineId === machineId) && (types.length === 0 || types.includes(a.type))).map(actionJson);
      return { status: 200, body: { '@odata.context': 'https://api.security.microsoft.com/api/$metadata#MachineActions', value } };
    }
    return error(404, 'ResourceNotFound', `The Defender fake has no ${method} ${path}`);
  }
}

function machineJson(machine: FakeMachine) {
  return {
    id: machine.id,
    computerDnsName: machine.computerDnsName,
    osPlatform: 'Windows11',
    healthStatus: 'Active',
    lastSeen: '2026-03-02T07:58:00Z',
    machineTags: machine.machineTags,
    rbacGroupName: machine.rbacGroupName,
  };
}

function actionJson(action: FakeMachineAction) {
  const { id, type, status, machineId, computerDnsName, requestorComment, creationDateTimeUtc, lastUpdateDateTimeUtc } = action;
  return { id, type, requestor: 'soar-app', requestorComment, status, machineId, computerDnsName, creationDateTimeUtc, lastUpdateDateTimeUtc, relatedFileInfo: null };
}

function error(status: number, code: string, message: string): FakeReply {
  return { status, body: { error: { code, message, target: 'fake-request' } } };
}
