export default async function globalTeardown() {
  const pg = globalThis.__SANGONG_PG__;
  if (pg) await pg.stop();
}
