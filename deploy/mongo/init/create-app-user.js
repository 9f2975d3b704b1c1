// Runs once, when the mongo container starts on an empty data volume: the application's own user,
// with read and write on its database only (the root user is for operators and backups).
const username = process.env.MONGO_APP_USERNAME;
const password = process.env.MONGO_APP_PASSWORD;
if (!username || !password) throw new Error('MONGO_APP_USERNAME and MONGO_APP_PASSWORD must be set');
db.getSiblingDB('aoc_v2').createUser({ user: username, pwd: password, roles: [{ role: 'readWrite', db: 'aoc_v2' }] });
