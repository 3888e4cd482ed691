import { render } from 'preact';
import { App } from './app';
import { restoreSession } from './auth';
import { primeAudioOnGesture } from './feedback';
import { startServiceWorker } from './sw/register';
import './styles.css';
import './themes.css';

primeAudioOnGesture();
void restoreSession();
render(<App />, document.getElementById('app')!);
startServiceWorker();
