// The yardstick, built the same way as the product: a NestJS-on-Fastify app whose only route
// does one TypeORM insert, no authentication. `node bench/bare-insert-app.mjs <database url> <port>`.
import 'reflect-metadata';
import { Body, Controller, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';

const [url, port] = process.argv.slice(2);
const ds = await new DataSource({ type: 'postgres', url, extra: { max: 20 } }).initialize();
await ds.query(`CREATE TABLE IF NOT EXISTS bare_insert (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, choice text NOT NULL)`);

class BareController {
  async insert(body) {
    const [row] = await ds.query(`INSERT INTO bare_insert (choice) VALUES ($1) RETURNING id`, [String(body?.choice ?? 'yes')]);
    return { id: row.id };
  }
}
Controller('bare')(BareController);
const d = Object.getOwnPropertyDescriptor(BareController.prototype, 'insert');
Body()(BareController.prototype, 'insert', 0);
Post()(BareController.prototype, 'insert', d);
Reflect.defineMetadata('design:paramtypes', [Object], BareController.prototype, 'insert');

class BareModule {}
Module({ controllers: [BareController] })(BareModule);

const app = await NestFactory.create(BareModule, new FastifyAdapter(), { logger: false });
await app.listen(Number(port), '127.0.0.1');
process.on('SIGTERM', async () => {
  await app.close();
  await ds.destroy();
  process.exit(0);
});
