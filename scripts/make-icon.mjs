// Draws media/icon.png (128×128): a white sail over a blue field. Run once; the PNG is committed.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const size = 128;
const rows = [];
for (let y = 0; y < size; y++) {
  const row = [0];
  for (let x = 0; x < size; x++) {
    const inSail = y >= 16 && y <= 92 && x >= 64 - ((y - 16) * 40) / 76 && x <= 60;
    const inSail2 = y >= 36 && y <= 92 && x >= 68 && x <= 68 + ((y - 36) * 30) / 56;
    const inHull = y >= 98 && y <= 108 && x >= 28 + (y - 98) && x <= 100 - (y - 98);
    const white = inSail || inSail2 || inHull;
    row.push(...(white ? [255, 255, 255, 255] : [70, 107, 176, 255]));
  }
  rows.push(Buffer.from(row));
}
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type), data]);
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE(crc(body));
  return Buffer.concat([len, body, sum]);
};
const header = Buffer.alloc(13);
header.writeUInt32BE(size, 0);
header.writeUInt32BE(size, 4);
header.set([8, 6, 0, 0, 0], 8);
const png = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
writeFileSync(new URL('../media/icon.png', import.meta.url), png);
