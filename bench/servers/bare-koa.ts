import Koa from "koa";

/** Baseline 1: the cheapest possible Koa answer, to show what HTTP and the event loop cost alone. */
const app = new Koa();
app.use((ctx) => {
  ctx.body = "";
});
const server = app.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  console.log(JSON.stringify({ msg: "listening", port: (server.address() as { port: number }).port }));
});
