import { readFileSync } from 'node:fs';
import { Body, Controller, Get, Header, HttpCode, Post, UseGuards } from '@nestjs/common';
import { LocalPageGuard } from './local-page.guard.js';
import { PlanQueryDto } from './plan-query.dto.js';
import { PlanService, type PlanAnswer } from './plan.service.js';

/** The page's files, read once: plain HTML, CSS and JS, nothing from another host. */
const asset = (name: string) => readFileSync(new URL(`../public/${name}`, import.meta.url), 'utf8');
const PAGE = { html: asset('index.html'), js: asset('plan.js'), css: asset('plan.css') };

/*
 * What the browser may do with the page: its own script and style only (no inline code, nothing from elsewhere),
 * requests to this app only, and no string ever assigned as HTML (Trusted Types: innerHTML throws). Directory data
 * is rendered as text by plan.js.
 */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

/** `/`: a page where a person types SQL (or picks an example) and sees the rows and the driver's plan. */
@Controller()
@UseGuards(LocalPageGuard)
export class PlanController {
  constructor(private readonly plans: PlanService) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', CSP)
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Referrer-Policy', 'no-referrer')
  @Header('Cache-Control', 'no-store')
  page(): string {
    return PAGE.html;
  }

  @Get('plan/plan.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('X-Content-Type-Options', 'nosniff')
  script(): string {
    return PAGE.js;
  }

  @Get('plan/plan.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('X-Content-Type-Options', 'nosniff')
  style(): string {
    return PAGE.css;
  }

  /** The page has no icon: an empty answer instead of a 404 in the browser's console. */
  @Get('favicon.ico')
  @HttpCode(204)
  icon(): void {}

  /** One SELECT or EXPLAIN: its rows and plan as JSON. Writes are refused (403) before anything is sent to PingOne. */
  @Post('plan/query')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  query(@Body() body: PlanQueryDto): Promise<PlanAnswer> {
    return this.plans.query(body.sql);
  }
}
