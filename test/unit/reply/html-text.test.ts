// HTML bodies through replyText, the path a message takes: htmlToText's text is then cut at the first
// quote, signature or history marker and trimmed, which is what these cases state.
import { replyText } from '../../../src/core/reply/quotes';

describe('replyText', () => {
  test('HTML: entities, line breaks, scripts and styles, quoted history and signatures', () => {
    const html =
      '<html><head><style>p{color:red}</style><title>x</title></head><body>' +
      '<p>Yes &amp; thanks&nbsp;&#x1F44D;<br>See you</p><!-- <p>hidden</p> -->' +
      '<script>var x = "<p>no</p>";</script>' +
      '<div class="gmail_signature" data-smartmail="gmail_signature"><div>Ada<br>CEO, cancel corp</div></div>' +
      '<div class="moz-cite-prefix">On 03/11/2026 10:02, Host wrote:<br></div>' +
      '<blockquote type="cite"><blockquote>deeper</blockquote>Reply cancel</blockquote>' +
      '<p title="a > b">After</p></body></html>';
    expect(replyText('', html)).toBe('Yes & thanks 👍\nSee you\n\nAfter');
  });

  test('HTML: Outlook web (#divRplyFwdMsg) and Outlook desktop (From:/Sent: block) end the reply', () => {
    const owa =
      '<div>Count me in</div><div id="appendonsend"></div><hr style="display:inline-block;width:98%">' +
      '<div id="divRplyFwdMsg" dir="ltr"><b>From:</b> Host</div><div>Reply cancel to cancel</div>';
    expect(replyText('', owa)).toBe('Count me in');
    const desktop =
      '<div class="WordSection1"><p class="MsoNormal">Yes<o:p></o:p></p>' +
      '<div style="border:none;border-top:solid #E1E1E1 1.0pt"><p class="MsoNormal"><b>From:</b> Host &lt;host@gmail.com&gt;<br>' +
      '<b>Sent:</b> Monday<br><b>Subject:</b> Dinner</p></div><p>Reply cancel</p></div>';
    expect(replyText('', desktop)).toBe('Yes');
    const old = '<p>Yes</p><div class=OutlookMessageHeader lang=en-us><b>From:</b> Host</div><p>cancel</p>';
    expect(replyText('', old)).toBe('Yes');
  });

  test('HTML: Yahoo quotes and an Apple Mail attribution outside the blockquote', () => {
    expect(
      replyText('', '<div>Sure!</div><div id="yahoo_quoted_123" class="yahoo_quoted">cancel</div>'),
    ).toBe('Sure!');
    expect(
      replyText(
        '',
        '<div>Yes</div><div><br><blockquote type="cite">On 3 Nov 2026, at 10:02, Host &lt;host@gmail.com&gt; wrote:<br><br></blockquote></div>',
      ),
    ).toBe('Yes');
    expect(
      replyText('', '<div>Yes</div><div>On 3 Nov 2026, at 10:02, Host wrote:</div><div>cancel</div>'),
    ).toBe('Yes');
  });
});
