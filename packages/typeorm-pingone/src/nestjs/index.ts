/*
 * typeorm-pingone/nestjs: what a NestJS app adds on top of the driver. A separate entry so that only apps that
 * import it need @nestjs/common (an optional peer dependency); `typeorm-pingone` itself never loads NestJS.
 */
export { PingOneExceptionFilter } from './pingone-exception-filter';
export { pingOneHttpError, unwrapPingOneError, type PingOneHttpError } from './http-error';
