import { WebsocketProvider } from 'y-websocket';
import { Awareness } from 'y-protocols/awareness';
export const probe = [WebsocketProvider, Awareness];
