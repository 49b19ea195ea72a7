// A grow-only set as a Maelstrom node, in plain Node.js (no packages): every node gossips its whole
// set to every other node every 100 ms. Written for the bench's tests; it knows nothing of Meld.
'use strict';
const readline = require('readline');

let self = null;
let peers = [];
let nextId = 0;
const elements = new Map(); // JSON text -> value

function send(dest, body) {
  body.msg_id = ++nextId;
  process.stdout.write(JSON.stringify({ src: self, dest, body }) + '\n');
}

function reply(req, body) {
  body.in_reply_to = req.body.msg_id;
  send(req.src, body);
}

const input = readline.createInterface({ input: process.stdin });
input.on('close', () => process.exit(0));
input.on('line', (line) => {
  const msg = JSON.parse(line);
  const body = msg.body;
  switch (body.type) {
    case 'init':
      self = body.node_id;
      peers = body.node_ids.filter((n) => n !== self);
      reply(msg, { type: 'init_ok' });
      break;
    case 'add':
      elements.set(JSON.stringify(body.element), body.element);
      reply(msg, { type: 'add_ok' });
      break;
    case 'read':
      reply(msg, { type: 'read_ok', value: Array.from(elements.values()) });
      break;
    case 'gossip':
      for (const e of body.elements) elements.set(JSON.stringify(e), e);
      break;
    default:
      reply(msg, { type: 'error', code: 10, text: 'not supported: ' + body.type });
  }
});

setInterval(() => {
  if (self === null) return;
  const all = Array.from(elements.values());
  for (const p of peers) send(p, { type: 'gossip', elements: all });
}, 100);
