// The backend's station writer thread (backend/ocpp/stationWriterWorker.ts) as its own bundle: the scale runs'
// backend is a bundle, and a thread's script must be a file of its own.
import '../backend/ocpp/stationWriterWorker.js';
