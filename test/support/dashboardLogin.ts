/** A supertest agent logged in to the dashboard with an API key, and the CSRF token its pages carry. */
import request from 'supertest';
import type { Express } from 'express';

const CSRF = /name="_csrf" value="([^"]+)"/;

export async function dashboardAgent(app: Express, key: string): Promise<{ agent: ReturnType<typeof request.agent>; csrf: (pageText: string) => string }> {
  const agent = request.agent(app);
  const form = await agent.get('/dashboard/login');
  const login = await agent.post('/dashboard/login').type('form').send({ _csrf: CSRF.exec(form.text)?.[1] ?? '', key });
  if (login.status !== 303) throw new Error(`dashboard login answered ${login.status}`);
  return { agent, csrf: (pageText) => CSRF.exec(pageText)?.[1] ?? 'no token on the page' };
}
