// Reference values for packages/layers/src/preprocessing/hash.ts: a plain C transcription of
// Google FarmHash's farmhashna::Hash64 (= Fingerprint64, what TensorFlow's to_hash_bucket_fast
// uses) and of the SipHash-2-4 reference (to_hash_bucket_strong), native uint64 arithmetic.
// Build and run: gcc -O1 -o hashref hash_reference.c && ./hashref > ../fixtures/hash-reference.json
#include <stdint.h>
#include <stdio.h>
#include <string.h>
static const uint64_t k0 = 0xc3a5c85c97cb3127ULL, k1 = 0xb492b66fbe98f273ULL, k2 = 0x9ae16a3b2f90404fULL;
static uint64_t F(const unsigned char*p){uint64_t r;memcpy(&r,p,8);return r;}
static uint32_t F32(const unsigned char*p){uint32_t r;memcpy(&r,p,4);return r;}
static uint64_t R(uint64_t v,int s){return s==0?v:((v>>s)|(v<<(64-s)));}
static uint64_t SM(uint64_t v){return v^(v>>47);}
static uint64_t H16(uint64_t u,uint64_t v,uint64_t mul){uint64_t a=(u^v)*mul;a^=(a>>47);uint64_t b=(v^a)*mul;b^=(b>>47);b*=mul;return b;}
static uint64_t L0(const unsigned char*s,size_t len){
 if(len>=8){uint64_t mul=k2+len*2,a=F(s)+k2,b=F(s+len-8),c=R(b,37)*mul+a,d=(R(a,25)+b)*mul;return H16(c,d,mul);}
 if(len>=4){uint64_t mul=k2+len*2;uint64_t a=F32(s);return H16(len+(a<<3),F32(s+len-4),mul);}
 if(len>0){uint8_t a=s[0],b=s[len>>1],c=s[len-1];uint32_t y=(uint32_t)a+((uint32_t)b<<8);uint32_t z=len+((uint32_t)c<<2);return SM(y*k2^z*k0)*k2;}
 return k2;}
static uint64_t L17(const unsigned char*s,size_t len){uint64_t mul=k2+len*2,a=F(s)*k1,b=F(s+8),c=F(s+len-8)*mul,d=F(s+len-16)*k2;return H16(R(a+b,43)+R(c,30)+d,a+R(b+k2,18)+c,mul);}
typedef struct{uint64_t f,s;}P;
static P W6(uint64_t w,uint64_t x,uint64_t y,uint64_t z,uint64_t a,uint64_t b){a+=w;b=R(b+a+z,21);uint64_t c=a;a+=x;a+=y;b+=R(a,44);P p={a+z,b+c};return p;}
static P W(const unsigned char*s,uint64_t a,uint64_t b){return W6(F(s),F(s+8),F(s+16),F(s+24),a,b);}
static uint64_t L33(const unsigned char*s,size_t len){uint64_t mul=k2+len*2,a=F(s)*k2,b=F(s+8),c=F(s+len-8)*mul,d=F(s+len-16)*k2;uint64_t y=R(a+b,43)+R(c,30)+d;uint64_t z=H16(y,a+R(b+k2,18)+c,mul);uint64_t e=F(s+16)*mul,f=F(s+24),g=(y+F(s+len-32))*mul,h=(z+F(s+len-24))*mul;return H16(R(e+f,43)+R(g,30)+h,e+R(f+a,18)+g,mul);}
uint64_t H64(const unsigned char*s,size_t len){const uint64_t seed=81;
 if(len<=32){if(len<=16)return L0(s,len);else return L17(s,len);}else if(len<=64)return L33(s,len);
 uint64_t x=seed,y=seed*k1+113,z=SM(y*k2+113)*k2;P v={0,0},w={0,0};x=x*k2+F(s);
 const unsigned char*end=s+((len-1)/64)*64;const unsigned char*last64=end+((len-1)&63)-63;
 do{x=R(x+y+v.f+F(s+8),37)*k1;y=R(y+v.s+F(s+48),42)*k1;x^=w.s;y+=v.f+F(s+40);z=R(z+w.f,33)*k1;v=W(s,v.s*k1,x+w.f);w=W(s+32,z+w.s,y+F(s+16));uint64_t t=z;z=x;x=t;s+=64;}while(s!=end);
 uint64_t mul=k1+((z&0xff)<<1);s=last64;w.f+=((len-1)&63);v.f+=w.f;w.f+=v.f;
 x=R(x+y+v.f+F(s+8),37)*mul;y=R(y+v.s+F(s+48),42)*mul;x^=w.s*9;y+=v.f*9+F(s+40);z=R(z+w.f,33)*mul;v=W(s,v.s*mul,x+w.f);w=W(s+32,z+w.s,y+F(s+16));{uint64_t t=z;z=x;x=t;}
 return H16(H16(v.f,w.f,mul)+SM(y)*k0+z,H16(v.s,w.s,mul)+x,mul);}

#define ROTL(x,b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND do{v0+=v1;v1=ROTL(v1,13);v1^=v0;v0=ROTL(v0,32);v2+=v3;v3=ROTL(v3,16);v3^=v2;v0+=v3;v3=ROTL(v3,21);v3^=v0;v2+=v1;v1=ROTL(v1,17);v1^=v2;v2=ROTL(v2,32);}while(0)
uint64_t SIP(uint64_t k0_,uint64_t k1_,const unsigned char*in,size_t inlen){
 uint64_t v0=0x736f6d6570736575ULL^k0_,v1=0x646f72616e646f6dULL^k1_,v2=0x6c7967656e657261ULL^k0_,v3=0x7465646279746573ULL^k1_;
 const unsigned char*end=in+inlen-(inlen%8);uint64_t b=((uint64_t)inlen)<<56;
 for(;in!=end;in+=8){uint64_t m=F(in);v3^=m;SIPROUND;SIPROUND;v0^=m;}
 int left=inlen&7;for(int i=left-1;i>=0;i--)b|=((uint64_t)in[i])<<(8*i);
 v3^=b;SIPROUND;SIPROUND;v0^=b;v2^=0xff;SIPROUND;SIPROUND;SIPROUND;SIPROUND;return v0^v1^v2^v3;}
static const char*WORDS[]={"","A","B","C","D","E","a","ab","abc","abcd","hello","hello world","The quick brown fox","-1","0","42","123456789","caf\xc3\xa9","\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e","[UNK]",0};
int main(){unsigned char b[400];printf("{\n \"strings\": [\n");
 for(int i=0;WORDS[i];i++){const char*w=WORDS[i];size_t n=strlen(w);printf("  {\"s\": \"");for(size_t j=0;j<n;j++){unsigned char c=w[j];if(c<128)putchar(c);else printf("\\u%04x",0);}
  printf("\", \"hex\": \"");for(size_t j=0;j<n;j++)printf("%02x",(unsigned char)w[j]);
  printf("\", \"fp64\": \"%llu\", \"sip_133_137\": \"%llu\"}%s\n",(unsigned long long)H64((const unsigned char*)w,n),(unsigned long long)SIP(133,137,(const unsigned char*)w,n),WORDS[i+1]?",":"");}
 printf(" ],\n \"lengths\": [\n");
 for(int len=0;len<=300;len++){for(int i=0;i<len;i++)b[i]=(i*131+len*7)&255;printf("  {\"len\": %d, \"fp64\": \"%llu\", \"sip_1_2\": \"%llu\"}%s\n",len,(unsigned long long)H64(b,len),(unsigned long long)SIP(1,2,b,len),len<300?",":"");}
 printf(" ]\n}\n");}
