// electron-builder `beforeBuild` hook. Returning false skips installing, rebuilding and copying
// node_modules: dist/main/*.cjs are self-contained bundles, and the hub's production dependencies
// (fastify, better-sqlite3, pg, ...) must never ship inside the desktop app.
module.exports = async function skipNodeModules() {
  return false;
};
