import { MongoClient } from 'mongodb';
const c = await MongoClient.connect(process.env.URI, { maxPoolSize: 60 });
const col = c.db('x').collection('ups' + Date.now());
let errors = 0; const kinds = new Set();
await Promise.all(Array.from({ length: 400 }, (_, i) => col.updateOne({ _id: 'k' + (i % 40) }, { $inc: { n: 1 }, $set: { at: new Date() } }, { upsert: true }).catch((e) => { errors++; kinds.add(e.message.slice(0, 80)); })));
const total = (await col.find({}).toArray()).reduce((a, d) => a + d.n, 0);
console.log({ errors, kinds: [...kinds], total });
await c.close();
