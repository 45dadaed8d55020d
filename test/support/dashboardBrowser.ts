/** The dashboard's browser tests: Debian's chromium through playwright-core, the app listening on a free port, logins by key. */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Express } from 'express';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { AlertActivities } from '../../activities';
import type { TenantPolicy } from '../../domain/tenantPolicy';
import { startPhoneProviderServer } from '../notification/phoneProviderTestServer';
import { startSmtpTestServer } from '../notification/smtpTestServer';
import { FakeVendors } from '../playbooks/fakeVendors';
import { alwaysInService, startTestEngine, type TestEngine, type TestEngineOptions } from './testEngine';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureChromium } = require('../../scripts/ensure-chromium.cjs') as { ensureChromium: () => string };

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

export class DashboardBrowser {
  private readonly contexts: BrowserContext[] = [];

  private constructor(
    private readonly browser: Browser,
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  /** Serves the app on 127.0.0.1 and starts the browser (installed on first use by scripts/ensure-chromium.cjs). */
  static async start(app: Express): Promise<DashboardBrowser> {
    const executablePath = ensureChromium();
    const server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    return new DashboardBrowser(browser, server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }

  /** `locale`: the browser's language (its Accept-Language); Chromium's default is en-US. */
  async newPage(locale?: string): Promise<Page> {
    const context = await this.browser.newContext({ acceptDownloads: true, ...(locale ? { locale } : {}) });
    this.contexts.push(context);
    return context.newPage();
  }

  /** A page logged in with the key, on the page the login lands on (the queue or the alert list). */
  async logIn(key: string): Promise<Page> {
    const page = await this.newPage();
    await page.goto(`${this.baseUrl}/dashboard/login`);
    await page.fill('#key', key);
    await Promise.all([page.waitForURL(/\/dashboard\/(alerts|queue)$/), page.click('main button[type=submit]')]);
    return page;
  }

  async stop(): Promise<void> {
    for (const context of this.contexts) await context.close();
    await this.browser.close();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** The whole engine in service hours with fake vendors and local mail and phone providers, served to a browser. */
export interface DashboardWorld {
  engine: TestEngine;
  browser: DashboardBrowser;
  stop(): Promise<void>;
}

export async function startDashboardWorld(options: Pick<TestEngineOptions, 'ownNamespace' | 'outboxFile'> = {}): Promise<DashboardWorld> {
  const smtp = await startSmtpTestServer({ startTls: false });
  const phone = await startPhoneProviderServer({ status: 201, body: JSON.stringify({ id: 'msg-1', status: 'queued' }) });
  const vendors = new FakeVendors(() => smtp.received.length);
  const engine = await startTestEngine({
    ...options,
    notifications: { smtpPort: smtp.port, phoneBaseUrl: phone.baseUrl },
    activities: (real) => ({ ...real, ...vendors.activities() }) as AlertActivities,
    policy: (policy: TenantPolicy) => alwaysInService(policy),
  });
  const browser = await DashboardBrowser.start(engine.app);
  return {
    engine,
    browser,
    stop: async () => {
      await browser.stop();
      await engine.stop();
      await smtp.close();
      await phone.close();
    },
  };
}
