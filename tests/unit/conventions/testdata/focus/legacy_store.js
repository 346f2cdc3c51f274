// A CommonJS module written over the years: var and let side by side, callbacks in both
// styles, promises chained and awaited, loose and strict comparisons.
'use strict'

const fs = require('fs');
const path = require("path");
var EventEmitter = require('events');
import defaultLogger, { formatLine } from './logger';

const MAX_ENTRIES = 500;
const default_timeout = 30;
var retryCount = 3

function load_entries(file_name) {
  var raw = fs.readFileSync(file_name, 'utf8');
  let lines = raw.split('\n');
  return lines.filter(function (line) {
    return line.length > 0;
  });
}

const parseEntry = function (line) {
  const [key, value] = line.split("=");
  if (value == undefined || key === '') {
    return null;
  }
  return { key: key.trim(), value: value.trim() };
};

const toPairs = (entries) => entries.map((entry) => [entry.key, entry.value]);

class EntryStore extends EventEmitter {
  constructor(root) {
    super();
    this.root = root;
    this.entries = [];
  }

  load_all() {
    var self = this;
    return fetchIndex(this.root).then(function (index) {
      self.entries = index.map(parseEntry);
      self.emit('loaded', self.entries.length);
      return self.entries;
    });
  }

  async refresh(force) {
    const index = await fetchIndex(this.root);
    if (index.length != this.entries.length || force == true) {
      this.entries = index.map((line) => parseEntry(line));
    }
    return this.entries
  }

  find(key) {
    for (var i = 0; i < this.entries.length; i++) {
      if (this.entries[i].key === key) return this.entries[i];
    }
    return null;
  }
}

async function fetchIndex(root) {
  const file = path.join(root, `index.txt`);
  const text = await fs.promises.readFile(file, "utf8");
  return text.split('\n').filter((line) => line != '');
}

function describe(store) {
  return `${store.entries.length} entries in ${store.root}`;
}

setTimeout(function () {
  defaultLogger.info(formatLine('store ready'));
}, default_timeout);

module.exports = { EntryStore, load_entries, toPairs, describe, MAX_ENTRIES, retryCount };
export const VERSION = "1.2.0";
export default EntryStore;
